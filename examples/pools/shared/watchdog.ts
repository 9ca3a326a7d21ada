/**
 * The job's work under a watchdog, as every example pool runs it. On timeout, or when `stopped` (if
 * given) aborts (the pool closes, the caller gives up), the work's signal aborts and `stop` closes what the
 * work is using: the work checks its signal only between steps, and a navigation that never
 * completes is unstuck only by closing its page. The promise settles when the work has, never
 * before, so a job is over only once its work is. A job stopped before it got its page never works.
 */
import type { PageLike } from '../../../harness/drivers/types.ts';
import type { Job, PoolEnv } from '../../../harness/pool/contract.ts';

export async function workUnderWatchdog(
  env: PoolEnv,
  job: Job,
  page: PageLike,
  stop: () => Promise<void>,
  stopped?: AbortSignal,
): Promise<unknown> {
  stopped?.throwIfAborted();
  const work = new AbortController();
  const end = (reason: unknown) => {
    work.abort(reason);
    stop().catch(() => undefined);
  };
  // Jittered, so jobs started together do not all time out together.
  const afterMs = env.config.watchdogMs + Math.round(env.random.next() * env.config.jitterMs);
  const timer = env.clock.setTimeout(
    () => {
      env.report('pool.watchdog', job.id, { afterMs });
      end(new Error(`watchdog: ${job.id} ran over ${afterMs} ms`));
    },
    afterMs,
    'watchdog',
  );
  const onStopped = () => end(stopped?.reason);
  stopped?.addEventListener('abort', onStopped, { once: true });
  try {
    return await job.work(page, work.signal);
  } finally {
    env.clock.clearTimeout(timer);
    stopped?.removeEventListener('abort', onStopped);
  }
}
