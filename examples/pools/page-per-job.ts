/**
 * A page per job in shared browsers (Crawlee's `maxOpenPagesPerBrowser`, puppeteer-cluster's
 * CONCURRENCY_PAGE): up to four jobs open a page each in one context of a shared browser. The
 * counter counts pages, and `inspect()` says so. A page whose renderer crashed is closed at once
 * (its `evaluate` would otherwise never settle), and each job listens for its browser's disconnect
 * and takes the listener off when it ends: on a shared browser a listener per job left behind
 * would pile up.
 */
import type { PageLike } from '../../harness/drivers/types.ts';
import type { Job, Pool, PoolEnv } from '../../harness/pool/contract.ts';
import { RunningJobs } from './shared/running-jobs.ts';
import { SharedBrowsers } from './shared/shared-browsers.ts';
import { Slots } from './shared/slots.ts';
import { workUnderWatchdog } from './shared/watchdog.ts';

/** Jobs (pages) per browser unless the scenario declares its own limit, which pages-per-browser then holds the pool to. */
const JOBS_PER_BROWSER = 4;

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'pages');
  const browsers = new SharedBrowsers(env, env.config.maxPagesPerBrowser ?? JOBS_PER_BROWSER, true);
  const jobs = new RunningJobs();
  return {
    run: (job: Job) =>
      jobs.run(job, async (stopped) => {
        const { entry, ready } = browsers.acquire();
        slots.take(job.id);
        let page: PageLike | undefined;
        const onDisconnect = () => env.report('pool.note', job.id, { message: 'shared browser disconnected' });
        const shared = await ready.catch(() => undefined);
        try {
          if (shared?.context === undefined) throw new Error('the shared browser did not launch');
          shared.browser.on('disconnected', onDisconnect);
          page = await shared.context.newPage();
          const opened = page;
          opened.once('crash', () => opened.close().catch(() => undefined));
          return await workUnderWatchdog(env, job, page, () => opened.close(), stopped);
        } finally {
          shared?.browser.off('disconnected', onDisconnect);
          slots.give(job.id, 'finally');
          await page?.close().catch(() => undefined);
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
