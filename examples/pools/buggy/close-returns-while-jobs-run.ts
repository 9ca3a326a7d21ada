/**
 * Bug class: a `close()` that returns while jobs still run. A browser per job, correct in every
 * other way, whose close refuses new jobs and returns at once: the jobs at work go on driving
 * pages the caller believes are gone, and a service that exits after `await pool.close()` cuts them
 * off mid-page (puppeteer-cluster retried and ran jobs after `cluster.close()`:
 * https://github.com/thomasdondorf/puppeteer-cluster/pull/325). Caught by `closed-pool-idle` on
 * pool-shutdown: close() returned while a job still works, and that job then calls the driver.
 */
import type { Job, Pool, PoolEnv } from '../../../harness/pool/contract.ts';
import { workInOwnBrowser } from '../shared/own-browser.ts';
import { Slots } from '../shared/slots.ts';

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'browsers', env.config.maxBrowsers);
  let closed = false;
  return {
    async run(job: Job) {
      if (closed) throw new Error('the pool is closed');
      slots.take(job.id);
      return workInOwnBrowser(env, job, () => slots.give(job.id, 'finally'));
    },
    inspect: () => slots.inspect(),
    // The bug: nothing stops the running jobs, and nothing waits for them.
    close: async () => {
      closed = true;
    },
  };
}
