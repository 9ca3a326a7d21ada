import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * Callers give up: every second job's caller aborts its `job.signal`, in turn 20 ms after it started
 * (while the pool still acquires for it: a slot, a launch or a page) and 20 s after (while it
 * works). More callers than `maxBrowsers`, so a pool that queues has waiters to abandon. A pool that
 * honours the signal stops the job; any pool must never hand an abandoned job a slot later.
 */
export default defineScenario({
  name: 'abandoned-jobs',
  description: 'Callers abort jobs while they wait for a slot and while they work: no slot for a job that is over.',
  seed: 1,
  durationMs: 5 * 60_000,
  workload: { concurrency: 6, pagesPerJob: 20, pageMs: 2_400, rampMs: 10_000, abandon: { every: 2, afterMs: [20, 20_000] } },
  pool: { maxBrowsers: 4, watchdogMs: 5 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  coverage: { minJobsWorked: 1, minAbandonedWaiting: 3, minAbandonedWorking: 3 },
  // Real browsers: 5 scenario minutes in 30 s, 6 callers for 4 browsers; the first abandon comes
  // before a real launch or page is ready, the second (2 s real) while pages load.
  real: {
    timeScale: 1 / 10,
    workload: { pagesPerJob: 10, rampMs: 10_000 },
  },
});
