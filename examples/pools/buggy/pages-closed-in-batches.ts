/**
 * Bug class: room given back before what fills it is gone. A page per job in shared browsers that
 * frees the job's room in its browser when the job ends, but leaves the page to a cleanup that
 * closes the finished pages in a batch every few seconds. The next job takes the room at once and
 * opens its page beside the old one: the browser holds more pages than the pool's own limit
 * (`maxPagesPerBrowser`), and under load far more.
 * Caught by `pages-per-browser` on exception-mid-work with `--set pool.maxPagesPerBrowser=4`.
 */
import type { PageLike } from '../../../harness/drivers/types.ts';
import type { Job, Pool, PoolEnv } from '../../../harness/pool/contract.ts';
import { SharedBrowsers } from '../shared/shared-browsers.ts';
import { Slots } from '../shared/slots.ts';
import { workUnderWatchdog } from '../shared/watchdog.ts';

const CLEANUP_EVERY_MS = 5_000;

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'pages');
  const browsers = new SharedBrowsers(env, env.config.maxPagesPerBrowser ?? 4, true);
  const finished: PageLike[] = [];
  const closeFinished = () => Promise.all(finished.splice(0).map((page) => page.close().catch(() => undefined)));
  let cleanup: number | undefined;
  const scheduleCleanup = () => {
    cleanup = env.clock.setTimeout(
      () => {
        void closeFinished();
        scheduleCleanup();
      },
      CLEANUP_EVERY_MS,
      'page-cleanup',
    );
  };
  scheduleCleanup();
  return {
    async run(job: Job) {
      const { entry, ready } = browsers.acquire();
      slots.take(job.id);
      let page: PageLike | undefined;
      try {
        const { context } = await ready;
        page = await context!.newPage();
        const opened = page;
        return await workUnderWatchdog(env, job, page, () => opened.close());
      } finally {
        slots.give(job.id, 'finally');
        if (page) finished.push(page); // the bug: the room is free now, the page closes later
        entry.users--;
      }
    },
    inspect: () => slots.inspect(),
    close: async () => {
      env.clock.clearTimeout(cleanup);
      await closeFinished();
      await browsers.closeAll();
    },
  };
}
