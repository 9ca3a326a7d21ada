/**
 * A browser per job, the story's design done right: the counter counts browsers (the default).
 * The slot is taken before the launch and every way out, a failed launch included, goes through
 * the one `finally` that gives it back exactly once, then closes the browser. Closing the pool
 * stops the running jobs and waits for them.
 */
import type { BrowserLike } from '../../harness/drivers/types.ts';
import type { Job, Pool, PoolEnv } from '../../harness/pool/contract.ts';
import { RunningJobs } from './shared/running-jobs.ts';
import { Slots } from './shared/slots.ts';
import { workUnderWatchdog } from './shared/watchdog.ts';

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'browsers', env.config.maxBrowsers);
  const jobs = new RunningJobs();
  return {
    run: (job: Job) =>
      jobs.run(job, async (stopped) => {
        slots.take(job.id);
        let browser: BrowserLike | undefined;
        try {
          browser = await env.driver.launch();
          const page = await browser.newPage();
          const launched = browser;
          return await workUnderWatchdog(env, job, page, () => launched.close(), stopped);
        } finally {
          slots.give(job.id, 'finally');
          await browser?.close();
        }
      }),
    inspect: () => slots.inspect(),
    close: () => jobs.close(),
  };
}
