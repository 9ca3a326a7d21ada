/**
 * The story's pool after the fix, and the cancellation it left as future work:
 * - single ownership: one SessionHandle per session, whose idempotent `release()` is the only
 *   place the counter goes down; every path (finally, watchdog, disconnect, close) calls it;
 * - the counter slot and the session are taken together, so the two never disagree;
 * - the watchdog aborts an AbortSignal the work honours, and the job ends only once the work
 *   has stopped (Promise.race alone leaves it running);
 * - the watchdog timeout is jittered, so jobs started together do not all time out together.
 */
import { sleep } from '../../clock/clock.ts';
import type { PoolSnapshot } from '../../history/events.ts';
import type { Job, Pool, PoolEnv } from '../contract.ts';
import { PoolFullError, WatchdogTimeout } from '../errors.ts';
import { SessionHandle } from './session-handle.ts';

/** How long a cancelled job's work gets to unwind before the pool stops waiting for it. */
const CANCEL_GRACE_MS = 5_000;

export class FixedBrowserPool implements Pool {
  #counter = 0;
  readonly #handles = new Map<string, SessionHandle>();

  constructor(private readonly env: PoolEnv) {}

  async run(job: Job): Promise<unknown> {
    const handle = this.#acquire(job.id);
    const watchdog = new AbortController();
    const { watchdogMs, jitterMs } = this.env.config;
    const timeoutMs = watchdogMs + Math.round(this.env.random.next() * jitterMs);
    const timer = this.env.clock.setTimeout(
      () => {
        this.env.report('pool.watchdog', job.id, { afterMs: timeoutMs });
        watchdog.abort(new WatchdogTimeout(job.id, timeoutMs));
      },
      timeoutMs,
      'watchdog',
    );
    let workStopped: Promise<void> | undefined;
    try {
      const page = await handle.open(this.env.driver);
      const work = job.work(page, watchdog.signal);
      // Observed from the start: after a timeout nobody awaits the work until the browser is
      // released, and its rejection must not go unhandled in the meantime.
      workStopped = work.then(
        () => undefined,
        () => undefined,
      );
      return await untilAborted(work, watchdog.signal);
    } finally {
      this.env.clock.clearTimeout(timer);
      await handle.release(watchdog.signal.aborted ? 'watchdog' : 'finally');
      if (workStopped) await this.#awaitCancelled(job.id, workStopped);
    }
  }

  inspect(): PoolSnapshot {
    const sessions = [...this.#handles.keys()];
    return { counter: this.#counter, sessions, locks: sessions.map((session) => ({ session, holders: 1 })) };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#handles.values()].map((handle) => handle.release('pool-close')));
  }

  #acquire(sessionId: string): SessionHandle {
    const { maxBrowsers } = this.env.config;
    if (this.#counter >= maxBrowsers) throw new PoolFullError(maxBrowsers);
    const handle = new SessionHandle(sessionId, (released, path) => this.#forget(released, path));
    this.#handles.set(sessionId, handle);
    this.#counter++;
    this.env.report('pool.counter', sessionId, { delta: 1, value: this.#counter, path: 'acquire' });
    this.env.report('pool.lock', sessionId, { op: 'attach', holders: 1 });
    return handle;
  }

  /** The one decrement point. */
  #forget(handle: SessionHandle, path: string): void {
    this.#handles.delete(handle.sessionId);
    this.#counter--;
    this.env.report('pool.counter', handle.sessionId, { delta: -1, value: this.#counter, path });
    this.env.report('pool.lock', handle.sessionId, { op: 'release', holders: 0 });
  }

  /** The job is over only when its work is: wait (bounded) for the aborted work to unwind. */
  async #awaitCancelled(sessionId: string, workStopped: Promise<void>): Promise<void> {
    const grace = new AbortController();
    const settled = workStopped.then(() => true);
    const timedOut = sleep(this.env.clock, CANCEL_GRACE_MS, grace.signal, 'cancel-grace').then(
      () => false,
      () => true,
    );
    const stopped = await Promise.race([settled, timedOut]);
    grace.abort();
    if (!stopped) this.env.report('pool.note', sessionId, { message: `work ignored its abort signal for ${CANCEL_GRACE_MS} ms` });
  }
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
