import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let cached: (() => void) | undefined;

/**
 * A full, synchronous garbage collection. Node hides `gc` unless started with `--expose-gc`; the
 * flag can also be set at run time, after which a fresh context sees the function. So a heap
 * figure "after GC" needs no special command line (tests, benches and `tally` alike).
 */
export function fullGc(): void {
  cached ??= exposedGc();
  cached();
}

function exposedGc(): () => void {
  const global = (globalThis as { gc?: () => void }).gc;
  if (typeof global === 'function') return global;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** `fullGc()` and its cost in ms. */
export function timedGc(): number {
  const start = performance.now();
  fullGc();
  return performance.now() - start;
}
