/**
 * Bug class: a shared resource's failure handled per resource and again per user. A context per
 * job in shared browsers that, when a browser disconnects, gives back the slot of every job on it,
 * while each of those jobs, failing, gives its own back in `finally` too. Every crash leaves the
 * counter short by the jobs that shared the browser; and as the listener is never taken off, the
 * browser's normal close, once its last job left, gives back the slots of jobs long gone.
 * Caught by `single-release` and `counter-matches-sessions` on browser-crash.
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
        // The bug: this path and `finally` both give the job's slot back.
        browser.once('disconnected', () => slots.give(job.id, 'disconnected'));
        context = await browser.newContext();
        const page = await context.newPage();
        const opened = context;
        return await workUnderWatchdog(env, job, page, () => opened.close());
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
