import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * More jobs arrive than the pool may hold: 6 callers at once against `maxBrowsers: 4`. A pool
 * queues them, times its waiters out or turns them away; whichever it does, its counter must stay
 * true, and a waiter that gave up (or was timed out) must never be handed a slot later.
 */
export default defineScenario({
  name: 'full-pool',
  description: 'Arrivals above maxBrowsers: the pool queues, times out waiters or rejects, and stays true.',
  seed: 1,
  durationMs: 5 * 60_000,
  workload: { concurrency: 6, pagesPerJob: 10, pageMs: 2_400, rampMs: 10_000 },
  pool: { maxBrowsers: 4, watchdogMs: 5 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  coverage: { minJobsWorked: 1, minArrivalsAboveLimit: 20 },
  // Real browsers: 5 scenario minutes in 30 s, the same 6 callers for 4 browsers.
  real: {
    timeScale: 1 / 10,
    workload: { pagesPerJob: 5, rampMs: 10_000 },
  },
});
