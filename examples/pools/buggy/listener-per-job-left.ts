/**
 * Bug class: a listener added per job on a shared object and never taken off. A page per job in
 * shared browsers where each job listens for its browser's `disconnected` (to fail fast) but
 * nothing removes the listener when the job ends: on a browser that serves job after job they pile
 * up, each holding its job's closure, and all run when the browser goes.
 * Caught by `listeners-removed` on exception-mid-work (on every scenario, in fact).
 */
import type { PageLike } from '../../../harness/drivers/types.ts';
import type { Job, Pool, PoolEnv } from '../../../harness/pool/contract.ts';
import { SharedBrowsers } from '../shared/shared-browsers.ts';
import { Slots } from '../shared/slots.ts';
import { workUnderWatchdog } from '../shared/watchdog.ts';

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'pages');
  const browsers = new SharedBrowsers(env, 4, true);
  return {
    async run(job: Job) {
      const { entry, ready } = browsers.acquire();
      slots.take(job.id);
      let page: PageLike | undefined;
      const shared = await ready.catch(() => undefined);
      try {
        if (shared?.context === undefined) throw new Error('the shared browser did not launch');
        shared.browser.on('disconnected', () => env.report('pool.note', job.id, { message: 'shared browser disconnected' })); // the bug: never off
        page = await shared.context.newPage();
        const opened = page;
        return await workUnderWatchdog(env, job, page, () => opened.close());
      } finally {
        slots.give(job.id, 'finally');
        await page?.close().catch(() => undefined);
        await browsers.release(entry).catch(() => undefined);
      }
    },
    inspect: () => slots.inspect(),
    close: () => browsers.closeAll(),
  };
}
