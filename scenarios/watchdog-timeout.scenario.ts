import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * The story's double decrement. Jobs walk 100 review pages (~4 min) under a 5-minute watchdog;
 * every two minutes one working browser hangs for two minutes, so its job times out. In the legacy
 * pool the watchdog's safeCloseSession and the job's finally both decrement the counter, the lock's
 * release is skipped, and Promise.race leaves the work running on a browser nobody closes.
 */
export default defineScenario({
  name: 'watchdog-timeout',
  description: 'Jobs outlive a 5-minute watchdog: the watchdog and the finally block both clean up.',
  seed: 1,
  durationMs: 30 * 60_000,
  workload: { concurrency: 10, pagesPerJob: 100, pageMs: 2_400, rampMs: 60_000 },
  pool: { maxBrowsers: 50, watchdogMs: 5 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  faults: [{ kind: 'hang', every: 2 * 60_000, forMs: 2 * 60_000, target: 'one' }],
  // Real browsers: 10 scenario minutes in 30 s. A page takes ~0.23 s (4.6 scenario s), so 45 pages
  // (~3.5 min) fit the 5-minute watchdog unless the job's browser is hung (SIGSTOP) for 2 minutes.
  // Firefox takes seconds to launch: at this scale its jobs still meet the hangs.
  real: { timeScale: 1 / 20, durationMs: 10 * 60_000, workload: { concurrency: 4, pagesPerJob: 45, rampMs: 20_000 } },
});
