/**
 * The contract every pool under test meets: the story's pools and a user's own (`--pool ./my-pool.ts`).
 *
 *   export function createPool(env: PoolEnv): Pool
 *
 * Ground truth (which browsers are alive) comes from the driver; the pool only has to tell its own
 * bookkeeping through `inspect()`. Reporting its counter changes and locks through `env.report`
 * is optional, and buys violations that name the code path and call site.
 */
import type { Clock } from '../clock/clock.ts';
import type { Driver, PageLike } from '../drivers/types.ts';
import type { EventData, PoolReportKind, PoolSnapshot } from '../history/events.ts';
import type { Random } from '../random.ts';

export type { PoolSnapshot } from '../history/events.ts';

export interface PoolConfig {
  /** Most browsers alive at once (the story's MAX = 50). */
  maxBrowsers: number;
  /** Watchdog timeout for one job. */
  watchdogMs: number;
  /** Upper bound of the random jitter added to the watchdog (0 = none). */
  jitterMs: number;
  /** How often the pool looks for orphan locks. */
  sweepEveryMs: number;
  /** Most pages open in one shared browser, when the scenario sets it; pages-per-browser holds the pool to it. */
  maxPagesPerBrowser?: number | undefined;
}

export interface PoolEnv {
  /** Launches browsers (Playwright-typed). */
  driver: Pick<Driver, 'launch'>;
  /** Every timer of the pool goes through this clock (virtual under the sim driver). */
  clock: Clock;
  /** Seeded randomness (for jitter), so a run replays. */
  random: Random;
  config: PoolConfig;
  /** Tell the harness about a change of the pool's own state; the call site is recorded. */
  report<K extends PoolReportKind>(kind: K, session: string | undefined, data: EventData[K]): void;
}

export interface Job {
  /** Unique per job; the pool keys its session by it, so `inspect().sessions` lists job ids. */
  id: string;
  /**
   * The job's real work, owned by the harness. It must be handed a page of a browser launched
   * through `env.driver`, and it stops when `signal` aborts.
   */
  work(page: PageLike, signal: AbortSignal): Promise<unknown>;
  /**
   * Optional: aborted when the job's caller gives up on it (it no longer wants the result). A pool
   * that honours it stops waiting for a slot (its `run` rejects with `signal.reason`), or aborts the
   * signal it gave `work`. Either way the job is over: it must never be handed a slot later.
   */
  signal?: AbortSignal;
}

export interface Pool {
  /** Run one job on a browser of the pool; settles when the pool considers the job over. */
  run(job: Job): Promise<unknown>;
  /** The pool's own bookkeeping, read by the checkers at every settled point. */
  inspect(): PoolSnapshot;
  /**
   * Release everything the pool holds: browsers, locks, timers. It may be called while jobs work
   * (a shutdown): it stops them, refuses jobs from then on, and returns only once no job works or
   * uses a browser any more.
   */
  close(): Promise<void>;
}

export type CreatePool = (env: PoolEnv) => Pool;
