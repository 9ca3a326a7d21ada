/**
 * The queue of jobs waiting for a slot of a full pool, first come first served. A waiter leaves the
 * queue in exactly one of three ways, and whichever comes first rules out the others: it is handed
 * a slot, its wait deadline passes, or its `stopped` signal aborts (the caller gave up, or the pool
 * closes). Timing out or aborting takes the waiter out of the queue at once, so a slot is only ever
 * handed to a waiter whose job still wants it.
 */
import type { Clock } from '../../../harness/clock/clock.ts';

interface Waiter {
  /** Give the waiter the slot: take it in its name, then let its job go on. */
  admit(): void;
}

export class Waiters {
  readonly #queue: Waiter[] = [];

  constructor(
    private readonly clock: Clock,
    /** How long a job may wait for a slot before its `run` rejects. */
    private readonly waitMs: number,
  ) {}

  get empty(): boolean {
    return this.#queue.length === 0;
  }

  /**
   * Wait in line until `handOver` admits this job (`take` then runs, in the same turn as the slot
   * was given back, so no newcomer can slip in between); rejects on the deadline or when `stopped` aborts.
   */
  wait(job: string, stopped: AbortSignal, take: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const leave = () => {
        this.clock.clearTimeout(timer);
        stopped.removeEventListener('abort', onStopped);
        // Each way out runs once (it disarms the other two), but a waiter not found must not cost another its place.
        const at = this.#queue.indexOf(waiter);
        if (at >= 0) this.#queue.splice(at, 1);
      };
      const onStopped = () => {
        leave();
        reject(stopped.reason);
      };
      const timer = this.clock.setTimeout(
        () => {
          leave();
          reject(new Error(`${job} found no free slot within ${this.waitMs} ms`));
        },
        this.waitMs,
        'wait',
      );
      const waiter: Waiter = {
        admit: () => {
          leave();
          take();
          resolve();
        },
      };
      stopped.addEventListener('abort', onStopped, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Hand a slot that was just given back to the longest waiting job, if any waits. */
  handOver(): void {
    this.#queue[0]?.admit();
  }
}
