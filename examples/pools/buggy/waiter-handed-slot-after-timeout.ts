/**
 * Bug class: a waiter that gives up while the pool is full is later handed the slot. A browser per
 * job with a wait queue: a job that finds every slot taken waits up to 10 s, then fails (or its
 * caller gives up on it first). The waiter that gave up stays in the queue, and a job that finishes
 * hands its slot straight to the head of the queue: to a job that is over. Nobody uses that slot,
 * and the pool is one browser smaller for good (pool2: an acquire that timed out still got its
 * resource, which then hung around: https://github.com/myndzi/pool2/issues/30). Caught by
 * `no-slot-after-end` on full-pool, at the line that hands the slot over.
 */
import type { Job, Pool, PoolEnv } from '../../../harness/pool/contract.ts';
import { workInOwnBrowser } from '../shared/own-browser.ts';

const WAIT_MS = 10_000;

interface Waiter {
  job: string;
  handOver(): void;
}

export function createPool(env: PoolEnv): Pool {
  let counter = 0;
  const sessions = new Set<string>();
  const queue: Waiter[] = [];

  const take = (job: string) => {
    counter++;
    sessions.add(job);
    env.report('pool.counter', job, { delta: 1, value: counter, path: 'acquire' });
  };

  function acquire(job: Job): Promise<void> {
    if (counter < env.config.maxBrowsers) return Promise.resolve(take(job.id));
    return new Promise((resolve, reject) => {
      const timer = env.clock.setTimeout(() => reject(new Error(`no browser free within ${WAIT_MS} ms`)), WAIT_MS, 'wait');
      job.signal?.addEventListener('abort', () => reject(job.signal?.reason), { once: true });
      // The bug: neither the timeout nor the abort takes the waiter out of the queue.
      queue.push({
        job: job.id,
        handOver: () => {
          env.clock.clearTimeout(timer);
          env.report('pool.counter', job.id, { delta: 1, value: counter + 1, path: 'handover' });
          counter++;
          sessions.add(job.id);
          resolve();
        },
      });
    });
  }

  function release(job: string): void {
    counter--;
    sessions.delete(job);
    env.report('pool.counter', job, { delta: -1, value: counter, path: 'finally' });
    queue.shift()?.handOver();
  }

  return {
    async run(job: Job) {
      await acquire(job);
      return workInOwnBrowser(env, job, () => release(job.id));
    },
    inspect: () => ({ counter, sessions: [...sessions], locks: [] }),
    close: async () => {},
  };
}
