/**
 * The story's pool after the fix, and the cancellation it left as future work:
 * - single ownership: one SessionHandle per session, whose idempotent `release()` is the only
 *   place the counter goes down; every path (finally, watchdog, disconnect, close) calls it;
 * - the counter slot and the session are taken together, so the two never disagree;
 * - the watchdog aborts an AbortSignal the work honours, and the job ends only once the work
 *   has stopped (Promise.race alone leaves it running);
 * - the watchdog timeout is jittered, so jobs started together do not all time out together;
 * - a job stops the same way when its caller gives up on it (`job.signal`) or the pool closes, and
 *   `close()` returns only once every job has stopped; a closed pool refuses jobs.
 */
import { sleep } from '../../clock/clock.ts';
import type { PoolSnapshot } from '../../history/events.ts';
import type { Job, Pool, PoolEnv } from '../contract.ts';
import { PoolClosedError, PoolFullError, WatchdogTimeout } from '../errors.ts';
import { SessionHandle } from './session-handle.ts';

/** How long a cancelled job's work gets to unwind before the pool stops waiting for it. */
const CANCEL_GRACE_MS = 5_000;

export class FixedBrowserPool implements Pool {
  #counter = 0;
  #closed = false;
  readonly #handles = new Map<string, SessionHandle>();
  /** What stops each running job (its watchdog, its caller, the pool's close), and its settled run. */
  readonly #running = new Map<string, { stop: AbortController; settled: Promise<void> }>();

  constructor(private readonly env: PoolEnv) {}

  run(job: Job): Promise<unknown> {
    if (this.#closed) return Promise.reject(new PoolClosedError());
    if (job.signal?.aborted) return Promise.reject(job.signal.reason);
    const stop = new AbortController();
    const running = this.#run(job, stop);
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.#running.set(job.id, { stop, settled });
    void settled.then(() => this.#running.delete(job.id));
    return running;
  }

  async #run(job: Job, stop: AbortController): Promise<unknown> {
    const handle = this.#acquire(job.id);
    const { watchdogMs, jitterMs } = this.env.config;
    const timeoutMs = watchdogMs + Math.round(this.env.random.next() * jitterMs);
    const timer = this.env.clock.setTimeout(
      () => {
        this.env.report('pool.watchdog', job.id, { afterMs: timeoutMs });
        stop.abort(new WatchdogTimeout(job.id, timeoutMs));
      },
      timeoutMs,
      'watchdog',
    );
    const abandoned = () => stop.abort(job.signal?.reason);
    job.signal?.addEventListener('abort', abandoned, { once: true });
    let workStopped: Promise<void> | undefined;
    try {
      // A job stopped while its browser launches goes no further: the release below closes that browser.
      const page = await untilAborted(handle.open(this.env.driver, stop.signal), stop.signal);
      const work = job.work(page, stop.signal);
      // Observed from the start: after a timeout nobody awaits the work until the browser is
      // released, and its rejection must not go unhandled in the meantime.
      workStopped = work.then(
        () => undefined,
        () => undefined,
      );
      return await untilAborted(work, stop.signal);
    } finally {
      this.env.clock.clearTimeout(timer);
      job.signal?.removeEventListener('abort', abandoned);
      // Its slot is given back only once the browser a stopped job was launching is up and its close
      // called: given back earlier, the next job's launch would make one browser more than the limit.
      await handle.opened();
      await handle.release(releasePath(stop.signal));
      if (workStopped) await this.#awaitCancelled(job.id, workStopped);
    }
  }

  inspect(): PoolSnapshot {
    const sessions = [...this.#handles.keys()];
    return { counter: this.#counter, sessions, locks: sessions.map((session) => ({ session, holders: 1 })) };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const running = [...this.#running.values()];
    for (const { stop } of running) stop.abort(new PoolClosedError());
    await Promise.all(running.map(({ settled }) => settled));
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

/** The path that gives a job's slot back names what stopped it, if anything did. */
function releasePath(stopped: AbortSignal): string {
  if (!stopped.aborted) return 'finally';
  if (stopped.reason instanceof WatchdogTimeout) return 'watchdog';
  return stopped.reason instanceof PoolClosedError ? 'pool-close' : 'abandoned';
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
