import type { PoolEnv } from '../contract.ts';
import { FixedBrowserPool } from './fixed-pool.ts';

/** The story's pool after the fix, with real cancellation. */
export function createPool(env: PoolEnv): FixedBrowserPool {
  return new FixedBrowserPool(env);
}
