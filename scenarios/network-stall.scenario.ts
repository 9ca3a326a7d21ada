import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * A navigation never completes (the page hangs on a request that never answers). Only the
 * watchdog ends the job; in the legacy pool the stalled work is never cancelled and its browser
 * is never closed.
 */
export default defineScenario({
  name: 'network-stall',
  description: 'Navigations that never complete: only the watchdog can end the job.',
  seed: 1,
  durationMs: 30 * 60_000,
  workload: { concurrency: 10, pagesPerJob: 40, pageMs: 2_400, rampMs: 60_000 },
  pool: { maxBrowsers: 50, watchdogMs: 3 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  faults: [{ kind: 'stall', every: 2 * 60_000, target: 'one' }],
  // Real browsers: 10 scenario minutes in 20 s; a stall is a request the site never answers.
  real: { timeScale: 1 / 30, durationMs: 10 * 60_000, workload: { concurrency: 4, pagesPerJob: 20, rampMs: 20_000 } },
});
