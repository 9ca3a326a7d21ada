/**
 * The job's work under a watchdog, as every example pool runs it. On timeout the signal aborts and
 * `stop` closes what the work is using: the work checks its signal only between steps, and a
 * navigation that never completes is unstuck only by closing its page. The promise settles when
 * the work has, never before, so a job is over only once its work is.
 */
import type { PageLike } from '../../../harness/drivers/types.ts';
import type { Job, PoolEnv } from '../../../harness/pool/contract.ts';

export async function workUnderWatchdog(env: PoolEnv, job: Job, page: PageLike, stop: () => Promise<void>): Promise<unknown> {
  const watchdog = new AbortController();
  // Jittered, so jobs started together do not all time out together.
  const afterMs = env.config.watchdogMs + Math.round(env.random.next() * env.config.jitterMs);
  const timer = env.clock.setTimeout(
    () => {
      env.report('pool.watchdog', job.id, { afterMs });
      watchdog.abort(new Error(`watchdog: ${job.id} ran over ${afterMs} ms`));
      stop().catch(() => undefined);
    },
    afterMs,
    'watchdog',
  );
  try {
    return await job.work(page, watchdog.signal);
  } finally {
    env.clock.clearTimeout(timer);
  }
}
