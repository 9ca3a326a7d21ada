import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { COUNTED_LEVELS, type CountedLevel } from '../history/events.ts';
import { importUserModule } from '../load-module.ts';
import type { CreatePool, Pool } from './contract.ts';
import { createPool as createFixed } from './fixed/index.ts';
import { createPool as createLegacy } from './legacy/index.ts';

export interface LoadedPool {
  /** `legacy`, `fixed`, or the module's path as given. */
  name: string;
  create: CreatePool;
}

const BUILT_IN: Record<string, CreatePool> = { legacy: createLegacy, fixed: createFixed };

/** `legacy`, `fixed`, or a path to a module that exports `createPool(env)`. */
export async function loadPool(spec: string): Promise<LoadedPool> {
  const builtIn = BUILT_IN[spec];
  if (builtIn) return { name: spec, create: builtIn };
  if (!existsSync(resolve(spec)))
    throw new InputError(`--pool ${spec}: no such pool; use legacy, fixed, or a path to a module exporting createPool(env)`);
  const module = await importUserModule(spec, 'pool module');
  const create = module.createPool ?? (module.default as Record<string, unknown> | undefined)?.createPool;
  if (typeof create !== 'function') {
    throw new InputError(`${spec}: does not export createPool(env) (found exports: ${Object.keys(module).join(', ') || 'none'})`);
  }
  return { name: spec, create: create as CreatePool };
}

/** Checks what `createPool(env)` returned against the contract; names the first field that is off. */
export function checkPoolContract(pool: unknown, name: string): Pool {
  const where = `${name}: createPool(env) returned`;
  if (typeof pool !== 'object' || pool === null)
    throw new InputError(`${where} ${pool === null ? 'null' : typeof pool}, not a pool object`);
  const candidate = pool as Record<string, unknown>;
  for (const method of ['run', 'inspect', 'close'] as const) {
    if (typeof candidate[method] !== 'function')
      throw new InputError(`${where} an object without ${method}() (the contract is { run(job), inspect(), close() })`);
  }
  checkSnapshot((pool as Pool).inspect(), name);
  return pool as Pool;
}

/** `inspect()` must return `{ counter: number, counts?: browsers | contexts | pages, sessions: string[], locks: { session, holders }[] }`. */
export function checkSnapshot(snapshot: unknown, name: string): void {
  const where = `${name}: inspect() returned`;
  if (typeof snapshot !== 'object' || snapshot === null)
    throw new InputError(`${where} ${String(snapshot)}, not { counter, sessions, locks }`);
  const s = snapshot as Record<string, unknown>;
  if (typeof s.counter !== 'number' || !Number.isFinite(s.counter))
    throw new InputError(`${where} counter = ${JSON.stringify(s.counter)}; it must be a number`);
  if (!Array.isArray(s.sessions) || s.sessions.some((id) => typeof id !== 'string')) {
    throw new InputError(`${where} sessions = ${JSON.stringify(s.sessions)}; it must be an array of session ids (strings)`);
  }
  if (s.counts !== undefined && !COUNTED_LEVELS.includes(s.counts as CountedLevel)) {
    throw new InputError(
      `${where} counts = ${JSON.stringify(s.counts)}; it must be one of ${COUNTED_LEVELS.join(', ')} (what the counter counts)`,
    );
  }
  if (!Array.isArray(s.locks) || s.locks.some((l) => typeof l?.session !== 'string' || typeof l?.holders !== 'number')) {
    throw new InputError(`${where} locks = ${JSON.stringify(s.locks)}; it must be an array of { session: string, holders: number }`);
  }
}
