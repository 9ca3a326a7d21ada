/**
 * A browser per job that gives its slot back only once the browser's close has confirmed, a dead
 * (crashed) browser's close included: for a while the counter is one above the browsers alive.
 * That is within Jepsen's band (the close is in flight), so it passes as the pool that gives the
 * slot back first does. It also shows a listener per job on its own browser, taken off when the
 * job ends.
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
        const onDisconnect = () => env.report('pool.note', job.id, { message: 'browser disconnected' });
        try {
          browser = await env.driver.launch();
          browser.on('disconnected', onDisconnect);
          const page = await browser.newPage();
          const launched = browser;
          return await workUnderWatchdog(env, job, page, () => launched.close(), stopped);
        } finally {
          browser?.off('disconnected', onDisconnect);
          await browser?.close().catch(() => undefined);
          slots.give(job.id, 'closed');
        }
      }),
    inspect: () => slots.inspect(),
    close: () => jobs.close(),
  };
}
