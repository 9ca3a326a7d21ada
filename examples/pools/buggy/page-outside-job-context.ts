/**
 * Bug class: a page opened outside the context meant to hold it. A context per job in shared
 * browsers that opens the job's page with `browser.newPage()`, which in Playwright puts the page in
 * a new context of its own, not in the job's context: closing the job's context at the end leaves
 * the page open in a browser that lives on. The counter of contexts and the sessions agree; only
 * the page, still open after its session ended, shows the leak.
 * Caught by `pages-close-with-session` on exception-mid-work (on every scenario, in fact).
 */
import type { ContextLike } from '../../../harness/drivers/types.ts';
import type { Job, Pool, PoolEnv } from '../../../harness/pool/contract.ts';
import { SharedBrowsers } from '../shared/shared-browsers.ts';
import { Slots } from '../shared/slots.ts';
import { workUnderWatchdog } from '../shared/watchdog.ts';

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'contexts');
  const browsers = new SharedBrowsers(env, 4, false);
  return {
    async run(job: Job) {
      const { entry, ready } = browsers.acquire();
      slots.take(job.id);
      let context: ContextLike | undefined;
      try {
        const { browser } = await ready;
        context = await browser.newContext();
        const page = await browser.newPage(); // the bug: not context.newPage()
        return await workUnderWatchdog(env, job, page, () => page.close());
      } finally {
        slots.give(job.id, 'finally');
        await context?.close().catch(() => undefined);
        await browsers.release(entry).catch(() => undefined);
      }
    },
    inspect: () => slots.inspect(),
    close: () => browsers.closeAll(),
  };
}
