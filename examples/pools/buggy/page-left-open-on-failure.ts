/**
 * Bug class: a resource closed on the happy path only. A page per job in shared browsers whose
 * cleanup gives the slot back in `finally` but closes the page after the work, inside the `try`:
 * when the work throws, the page stays open in a browser that lives on. The counter and the
 * sessions agree with each other; only the driver's ground truth shows the page leak.
 * Caught by `counter-matches-browsers` (`counter(n) < pages(m)`) on exception-mid-work.
 */
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
      try {
        const { context } = await ready;
        const page = await context!.newPage();
        const result = await workUnderWatchdog(env, job, page, () => page.close());
        await page.close(); // the bug: skipped when the work throws
        return result;
      } finally {
        slots.give(job.id, 'finally');
        await browsers.release(entry).catch(() => undefined);
      }
    },
    inspect: () => slots.inspect(),
    close: () => browsers.closeAll(),
  };
}
