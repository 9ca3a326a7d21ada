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
  // Real browsers: 5 scenario minutes in 30 s; the watchdog is 30 s real. A launch takes 0.2 s on an
  // idle machine and up to ~10 s (Firefox) on a busy one, 20 pages 5 to 10 s: a job fits the
  // watchdog on either. A hang (SIGSTOP) outlasts watchdog and jitter, so the job it strikes times
  // out however fast the machine is, and it strikes once a session is working, not on the clock.
  real: {
    timeScale: 1 / 10,
    durationMs: 5 * 60_000,
    workload: { concurrency: 4, pagesPerJob: 20, rampMs: 20_000 },
    faults: [{ kind: 'hang', every: 2 * 60_000, forMs: 6 * 60_000, target: 'one', afterWorking: 1 }],
  },
});
