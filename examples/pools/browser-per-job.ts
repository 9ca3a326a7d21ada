/**
 * A browser per job, the story's design done right: the counter counts browsers (the default).
 * The slot is taken before the launch and every way out, a failed launch included, goes through
 * the one `finally` that gives it back exactly once, then closes the browser. Closing the pool
 * stops the running jobs and waits for them.
 */
import type { Job, Pool, PoolEnv } from '../../harness/pool/contract.ts';
import { workInOwnBrowser } from './shared/own-browser.ts';
import { RunningJobs } from './shared/running-jobs.ts';
import { Slots } from './shared/slots.ts';

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'browsers', env.config.maxBrowsers);
  const jobs = new RunningJobs();
  return {
    run: (job: Job) =>
      jobs.run(job, (stopped) => {
        slots.take(job.id);
        return workInOwnBrowser(env, job, () => slots.give(job.id, 'finally'), stopped);
      }),
    inspect: () => slots.inspect(),
    close: () => jobs.close(),
  };
}
