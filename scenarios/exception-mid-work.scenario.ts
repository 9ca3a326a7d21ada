import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * The job's work throws halfway. In the legacy pool the lock's release is skipped, so orphan locks
 * pile up until the LockSweep fires, and each one keeps its browser alive.
 */
export default defineScenario({
  name: 'exception-mid-work',
  description: 'Work that throws: release() is skipped and orphan locks pile up.',
  seed: 1,
  durationMs: 30 * 60_000,
  workload: { concurrency: 10, pagesPerJob: 40, pageMs: 2_400, rampMs: 60_000 },
  pool: { maxBrowsers: 50, watchdogMs: 5 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  faults: [{ kind: 'throw', every: 60_000, target: 'one' }],
  // Real browsers: 10 scenario minutes in 20 s.
  real: {
    timeScale: 1 / 30,
    durationMs: 10 * 60_000,
    workload: { concurrency: 4, pagesPerJob: 12, rampMs: 20_000 },
    // Not a scenario about the watchdog: a minute of real time, so that on a loaded machine (a new
    // page alone 5 to 8 s) its jobs end by the faults, not by the clock.
    pool: { watchdogMs: 30 * 60_000 },
  },
});
