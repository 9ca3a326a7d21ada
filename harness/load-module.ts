import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from './errors.ts';

/** Imports a user's module (a scenario or a pool); a failure to load is bad input, named as such. */
export async function importUserModule(path: string, what: string): Promise<Record<string, unknown>> {
  try {
    return await import(pathToFileURL(resolve(path)).href);
  } catch (error) {
    throw new InputError(`${path}: the ${what} failed to load: ${(error as Error).message}`);
  }
}
