/**
 * Bug class: a stale timeout releases a lock by its key. A browser per job that guards each of its
 * slots with a lock (one operation per slot), and gives every lock a lease: a timer that frees the
 * slot's lock if its holder never does. The holder's own release does not clear that timer, so
 * when the lease of a job long finished runs out it frees the slot's lock again, now held by the
 * job working there after it. The counter, the sessions and each lock's holder agree; only who
 * released the lock shows the bug.
 * Caught by `lock-held-by-session` (lock of jN released by jM while jN holds it) on exception-mid-work.
 */
import type { BrowserLike } from '../../../harness/drivers/types.ts';
import type { Job, Pool, PoolEnv } from '../../../harness/pool/contract.ts';
import { Slots } from '../shared/slots.ts';
import { workUnderWatchdog } from '../shared/watchdog.ts';

export function createPool(env: PoolEnv): Pool {
  const slots = new Slots(env, 'browsers', env.config.maxBrowsers);
  /** The session holding each slot's lock, by slot. */
  const holders = new Map<number, string>();
  const leases = new Set<number>();

  const lock = (slot: number, session: string): void => {
    holders.set(slot, session);
    env.report('pool.lock', session, { op: 'attach', holders: 1 });
    const lease = env.clock.setTimeout(
      () => {
        leases.delete(lease);
        release(slot, session);
      },
      env.config.watchdogMs,
      'lock-lease',
    );
    leases.add(lease);
  };
  /** Frees the slot's lock, whoever holds it now (the bug: not checked against `by`). */
  const release = (slot: number, by: string): void => {
    const holder = holders.get(slot);
    if (holder === undefined) return;
    holders.delete(slot);
    env.report('pool.lock', holder, holder === by ? { op: 'release', holders: 0 } : { op: 'release', holders: 0, by });
  };
  const freeSlot = (): number => {
    let slot = 0;
    while (holders.has(slot)) slot++;
    return slot;
  };

  return {
    async run(job: Job) {
      slots.take(job.id);
      const slot = freeSlot();
      lock(slot, job.id);
      let browser: BrowserLike | undefined;
      try {
        browser = await env.driver.launch();
        const page = await browser.newPage();
        const launched = browser;
        return await workUnderWatchdog(env, job, page, () => launched.close());
      } finally {
        release(slot, job.id);
        slots.give(job.id, 'finally');
        await browser?.close();
      }
    },
    inspect: () => ({ ...slots.inspect(), locks: [...holders.values()].map((session) => ({ session, holders: 1 })) }),
    close: async () => {
      for (const lease of leases) env.clock.clearTimeout(lease);
      leases.clear();
    },
  };
}
