/**
 * The story's browser service as it ran in production before the fix, bugs included:
 * - the counter has three decrement paths (`closeSession` from the job's `finally`,
 *   `safeCloseSession` from the watchdog and from exceptions, and the `disconnected` handler),
 *   none of which knows whether another already ran, clamped with `Math.max(0, n - 1)`;
 * - the watchdog is a `Promise.race` with a fixed timeout: it does not cancel the work;
 * - the lock's `release()` sits after the work, so an exception or a timeout skips it;
 * - `safeCloseSession` leaves a browser open while its lock is held, so a skipped release
 *   keeps the browser alive for good (the orphan lock's reference chain to ~300 MB);
 * - a periodic sweep deletes orphan locks when `locks > 2 × activeOps`.
 * Comments name the version in which each path arrived, as the story's git history tells it.
 */
import type { BrowserLike, PageLike } from '../../drivers/types.ts';
import type { PoolSnapshot } from '../../history/events.ts';
import type { Job, Pool, PoolEnv } from '../contract.ts';
import { PoolFullError, WatchdogTimeout } from '../errors.ts';
import { SessionLockRegistry } from './lock-registry.ts';

interface PageSession {
  browser: BrowserLike;
  page: PageLike;
}

/** The legacy work is never told to stop: Promise.race has no way to. */
const NEVER_ABORTED = new AbortController().signal;

export class LegacyBrowserService implements Pool {
  #activeCount = 0;
  readonly #pages = new Map<string, PageSession>();
  readonly #activeOperations = new Set<string>();
  readonly #locks: SessionLockRegistry;
  #sweepTimer: number | undefined;

  constructor(private readonly env: PoolEnv) {
    this.#locks = new SessionLockRegistry(env);
    this.#scheduleSweep();
  }

  async run(job: Job): Promise<unknown> {
    this.#activeOperations.add(job.id);
    try {
      const page = await this.#getCamoufoxPage(job.id);
      return await this.#getReviews(job, page);
    } finally {
      this.#activeOperations.delete(job.id);
    }
  }

  inspect(): PoolSnapshot {
    return { counter: this.#activeCount, sessions: [...this.#pages.keys()], locks: this.#locks.snapshot() };
  }

  async close(): Promise<void> {
    this.env.clock.clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
    for (const id of [...this.#pages.keys()]) await this.#closeSession(id);
  }

  // v1.0: counter up when a browser is obtained, rolled back if launching fails.
  async #getCamoufoxPage(sessionId: string): Promise<PageLike> {
    if (this.#activeCount >= this.env.config.maxBrowsers) throw new PoolFullError(this.env.config.maxBrowsers);
    this.#activeCount++;
    this.env.report('pool.counter', sessionId, { delta: 1, value: this.#activeCount, path: 'launch' });
    try {
      const browser = await this.env.driver.launch();
      const page = await browser.newPage();
      this.#pages.set(sessionId, { browser, page });
      // v2.0: a crashed browser must be cleaned up too.
      browser.on('disconnected', () => {
        if (this.#pages.has(sessionId)) void this.#safeCloseSession(sessionId, 'disconnected');
      });
      return page;
    } catch (error) {
      this.#activeCount--;
      this.env.report('pool.counter', sessionId, { delta: -1, value: this.#activeCount, path: 'launch-failed' });
      throw error;
    }
  }

  // v1.5: the watchdog. v2.3: the lock around the work.
  async #getReviews(job: Job, page: PageLike): Promise<unknown> {
    const handle = this.#locks.attach(job.id, this.#pages.get(job.id));
    let timer: number | undefined;
    const watchdogMs = this.env.config.watchdogMs;
    const watchdog = new Promise<never>((_, reject) => {
      timer = this.env.clock.setTimeout(
        () => {
          this.env.report('pool.watchdog', job.id, { afterMs: watchdogMs });
          void this.#safeCloseSession(job.id, 'watchdog');
          reject(new WatchdogTimeout(job.id, watchdogMs));
        },
        watchdogMs,
        'watchdog',
      );
    });
    try {
      const result = await Promise.race([job.work(page, NEVER_ABORTED), watchdog]);
      await handle.release(); // skipped when the work throws or the watchdog wins
      return result;
    } catch (error) {
      if (!(error instanceof WatchdogTimeout)) await this.#safeCloseSession(job.id, 'exception');
      throw error;
    } finally {
      this.env.clock.clearTimeout(timer);
      await this.#closeSession(job.id);
    }
  }

  // v1.0: the normal close.
  async #closeSession(sessionId: string): Promise<void> {
    const session = this.#pages.get(sessionId);
    this.#pages.delete(sessionId);
    try {
      if (session) {
        await session.page.close();
        await session.browser.close();
      }
    } finally {
      this.#activeCount = Math.max(0, this.#activeCount - 1);
      this.env.report('pool.counter', sessionId, { delta: -1, value: this.#activeCount, path: 'finally' });
    }
  }

  // v1.5: the cleanup for exceptions and the watchdog; it must never throw.
  async #safeCloseSession(sessionId: string, path: string): Promise<void> {
    const session = this.#pages.get(sessionId);
    this.#pages.delete(sessionId);
    try {
      // v2.3: never pull a browser out from under an operation that holds its lock.
      if (session && !this.#locks.isHeld(sessionId)) await session.browser.close();
    } catch {
      // "safe": a failed close is not the caller's problem.
    } finally {
      // A second decrement site, written again rather than shared, as in the story: neither knows
      // whether the other already ran for this session.
      this.#activeCount = Math.max(0, this.#activeCount - 1);
      this.env.report('pool.counter', sessionId, { delta: -1, value: this.#activeCount, path });
    }
  }

  // v2.3: LockSweep, when locks pile up beyond twice the operations in progress.
  #scheduleSweep(): void {
    this.#sweepTimer = this.env.clock.setTimeout(
      () => {
        this.#monitorAndCleanupResources();
        this.#scheduleSweep();
      },
      this.env.config.sweepEveryMs,
      'lock-sweep',
    );
  }

  #monitorAndCleanupResources(): void {
    const locks = this.#locks.size;
    const activeOps = this.#activeOperations.size;
    if (locks <= activeOps * 2) return;
    const removed = this.#locks.sweepOrphanedLocks(new Set(this.#pages.keys()));
    this.env.report('pool.sweep', undefined, { swept: removed.length, locks, activeOps, removed });
  }
}
