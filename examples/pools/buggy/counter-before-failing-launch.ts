/**
 * Bug class: a counter incremented before an `await` that rejects, never rolled back. A browser per
 * job that counts the browser before launching it and lists the job once the launch has returned;
 * its `finally` gives the slot back, but it only covers the work. When `launch()` rejects, the
 * count stays one too high for good: the pool believes it is fuller than it is until it refuses
 * every job.
 * Caught by `counter-matches-sessions` (counter(n) > sessions(m)) on launch-fail, blamed on the job
 * whose launch failed.
 */
import type { Job, Pool, PoolEnv } from '../../../harness/pool/contract.ts';
import { workUnderWatchdog } from '../shared/watchdog.ts';

export function createPool(env: PoolEnv): Pool {
  let counter = 0;
  const sessions = new Set<string>();
  const count = (session: string, delta: 1 | -1, path: string) => {
    counter += delta;
    env.report('pool.counter', session, { delta, value: counter, path });
  };
  return {
    async run(job: Job) {
      if (counter >= env.config.maxBrowsers) throw new Error(`pool full (${env.config.maxBrowsers} browsers)`);
      count(job.id, 1, 'acquire');
      const browser = await env.driver.launch(); // the bug: a rejection here skips the decrement
      sessions.add(job.id);
      try {
        const page = await browser.newPage();
        return await workUnderWatchdog(env, job, page, () => browser.close());
      } finally {
        sessions.delete(job.id);
        count(job.id, -1, 'finally');
        await browser.close();
      }
    },
    inspect: () => ({ counter, sessions: [...sessions], locks: [] }),
    close: async () => {},
  };
}
