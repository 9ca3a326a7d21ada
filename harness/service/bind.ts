import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { InputError } from '../errors.ts';
import { sendError } from './respond.ts';

/**
 * Whether `host` is this machine only: 127.0.0.0/8, ::1 or the name localhost. Also said of a
 * peer's address, which a dual-stack socket gives IPv4-mapped (`::ffff:127.0.0.1`).
 */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  const v4 = host.replace(/^::ffff:/i, '');
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Routes that change what the service does to its own pool answer this machine only, whatever the token: true when refused. */
export function refuseUnlessLoopback(request: IncomingMessage, response: ServerResponse, path: string): boolean {
  if (isLoopback(request.socket.remoteAddress ?? '')) return false;
  sendError(response, 403, `${path} is answered only to this machine (loopback)`);
  return true;
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
