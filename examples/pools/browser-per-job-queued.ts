/**
 * A browser per job that queues when full, the way to wait for a slot. A job that finds every
 * slot taken joins a first-come-first-served queue (shared/waiters.ts) and waits up to 10 s. It
 * leaves the queue the moment its deadline passes or its `job.signal` aborts, so the slot a
 * finishing job gives back goes to the next waiter that still wants it, in the same turn, never to
 * one that is over. Closing the pool rejects the waiters and stops and waits for the working jobs.
 *
 * The bug classes it avoids: a waiter that gives up stays in the queue and is later handed a slot
 * nobody uses, the pool shrinking by one each time (pool2: an acquire that timed out still got its
 * resource, https://github.com/myndzi/pool2/issues/30; buggy/waiter-handed-slot-after-timeout.ts is
 * this pool with that bug); and a wait with no deadline, callers of a full pool hanging for ever
 * (generic-pool before `acquireTimeoutMillis`: https://github.com/coopernurse/node-pool/issues/85).
 */
import type { Job, Pool, PoolEnv } from '../../harness/pool/contract.ts';
import { workInOwnBrowser } from './shared/own-browser.ts';
import { RunningJobs } from './shared/running-jobs.ts';
import { Slots } from './shared/slots.ts';
import { Waiters } from './shared/waiters.ts';

const WAIT_MS = 10_000;

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'browsers', env.config.maxBrowsers);
  const waiters = new Waiters(env.clock, WAIT_MS);
  const jobs = new RunningJobs();

  // The slot goes back, then straight on to the next live waiter: nobody can take it in between.
  const giveBack = (job: string) => {
    slots.give(job, 'finally');
    waiters.handOver();
  };

  return {
    // `stopped` aborts when the caller gives up or the pool closes: either way the job leaves the queue.
    run: (job: Job) =>
      jobs.run(job, async (stopped) => {
        if (slots.free() && waiters.empty) slots.take(job.id);
        else await waiters.wait(job.id, stopped, () => slots.take(job.id, 'handover'));
        return workInOwnBrowser(env, job, () => giveBack(job.id), stopped);
      }),
    inspect: () => slots.inspect(),
    close: () => jobs.close(),
  };
}
