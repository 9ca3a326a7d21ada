/**
 * The jobs a pool is running, so that its `close()` can stop them and return only once they have
 * stopped: a job's work must not outlive the pool. Each job gets a signal that aborts when the pool
 * closes or the job's caller gives up on it (`job.signal`); a closed pool refuses new jobs, and so
 * does a job whose caller already gave up.
 */
import type { Job } from '../../../harness/pool/contract.ts';

export class RunningJobs {
  #closed = false;
  readonly #stops = new Set<AbortController>();
  readonly #settled = new Set<Promise<void>>();

  async run<T>(job: Job, body: (stopped: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('the pool is closed');
    job.signal?.throwIfAborted();
    const stop = new AbortController();
    const abandoned = () => stop.abort(job.signal?.reason);
    job.signal?.addEventListener('abort', abandoned, { once: true });
    this.#stops.add(stop);
    const running = body(stop.signal);
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.#settled.add(settled);
    try {
      return await running;
    } finally {
      job.signal?.removeEventListener('abort', abandoned);
      this.#stops.delete(stop);
      this.#settled.delete(settled);
    }
  }

  /** Refuse new jobs, stop the running ones, and wait until each has settled. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const stop of this.#stops) stop.abort(new Error('the pool is closed'));
    await Promise.all(this.#settled);
  }
}
