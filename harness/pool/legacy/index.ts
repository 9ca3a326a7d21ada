import type { PoolEnv } from '../contract.ts';
import { LegacyBrowserService } from './legacy-pool.ts';

/** The story's pool before the fix. */
export function createPool(env: PoolEnv): LegacyBrowserService {
  return new LegacyBrowserService(env);
}
