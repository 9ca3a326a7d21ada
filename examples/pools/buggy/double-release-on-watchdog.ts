/**
 * Bug class: two cleanup paths that each give the slot back, the story's own bug. A browser per
 * job whose watchdog releases the job (slot and browser) when it fires, and whose `finally`
 * releases it again when the aborted work unwinds. Each timeout leaves the counter one lower.
 * Caught by `single-release` (released twice: paths watchdog, finally) and
 * `counter-matches-sessions` on watchdog-timeout.
 */
import type { Job, Pool, PoolEnv } from '../../../harness/pool/contract.ts';
import { Slots } from '../shared/slots.ts';
import { workUnderWatchdog } from '../shared/watchdog.ts';

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'browsers', env.config.maxBrowsers);
  return {
    async run(job: Job) {
      slots.take(job.id);
      const browser = await env.driver.launch();
      try {
        const page = await browser.newPage();
        return await workUnderWatchdog(env, job, page, () => {
          slots.give(job.id, 'watchdog'); // the bug: `finally` gives it back too
          return browser.close();
        });
      } finally {
        slots.give(job.id, 'finally');
        await browser.close();
      }
    },
    inspect: () => slots.inspect(),
    close: async () => {},
  };
}
