import { isIP } from 'node:net';
import { InputError } from '../errors.ts';

/** Whether `host` is this machine only: 127.0.0.0/8, ::1 or the name localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Safe by default: the service drives browsers for whoever can reach it, so it listens on
 * loopback unless told otherwise, and anywhere else only behind a bearer token.
 */
export function checkBind(host: string, token: string | undefined): void {
  if (host.trim() === '') throw new InputError('--host: expected an address to listen on, e.g. 127.0.0.1');
  if (isLoopback(host)) return;
  if (token === undefined || token.length < 16)
    throw new InputError(
      `--host ${host}: listening beyond loopback needs a bearer token of at least 16 characters in TALLY_TOKEN (${token === undefined ? 'it is not set' : 'it is too short'})`,
    );
}
