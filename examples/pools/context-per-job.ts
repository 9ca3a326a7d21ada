/**
 * A context per job in shared browsers (puppeteer-cluster's CONCURRENCY_CONTEXT): each job gets an
 * isolated context (its own cookies and storage) in a browser up to four jobs share. The counter
 * counts contexts, and `inspect()` says so: Tally compares it with the contexts the driver has open.
 */
import type { ContextLike } from '../../harness/drivers/types.ts';
import type { Job, Pool, PoolEnv } from '../../harness/pool/contract.ts';
import { RunningJobs } from './shared/running-jobs.ts';
import { SharedBrowsers } from './shared/shared-browsers.ts';
import { Slots } from './shared/slots.ts';
import { workUnderWatchdog } from './shared/watchdog.ts';

const JOBS_PER_BROWSER = 4;

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'contexts');
  const browsers = new SharedBrowsers(env, JOBS_PER_BROWSER, false);
  const jobs = new RunningJobs();
  return {
    run: (job: Job) =>
      jobs.run(job, async (stopped) => {
        const { entry, ready } = browsers.acquire();
        slots.take(job.id);
        let context: ContextLike | undefined;
        try {
          const { browser } = await ready;
          context = await browser.newContext();
          const page = await context.newPage();
          const opened = context;
          return await workUnderWatchdog(env, job, page, () => opened.close(), stopped);
        } finally {
          slots.give(job.id, 'finally');
          await context?.close().catch(() => undefined);
          await browsers.release(entry).catch(() => undefined);
        }
      }),
    inspect: () => slots.inspect(),
    close: async () => {
      await jobs.close();
      await browsers.closeAll();
    },
  };
}
