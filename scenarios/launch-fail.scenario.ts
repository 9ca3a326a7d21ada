import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * Launches fail: Chromium that cannot start (a missing library, no memory left, a sandbox refused)
 * rejects at once, one that starts too slowly times out, and now and then a new page fails too. The path a pool takes when `launch()`
 * rejects runs only under this fault: a slot taken before the launch must be given back.
 */
export default defineScenario({
  name: 'launch-fail',
  description: 'The next launch rejects, or times out: a slot taken before it must be given back.',
  seed: 1,
  durationMs: 30 * 60_000,
  workload: { concurrency: 10, pagesPerJob: 40, pageMs: 2_400, rampMs: 60_000 },
  pool: { maxBrowsers: 50, watchdogMs: 5 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  faults: [
    { kind: 'launchFail', every: 45_000 },
    { kind: 'launchFail', every: 120_000, from: 30_000, forMs: 20_000 },
    { kind: 'launchFail', op: 'newPage', every: 150_000, from: 60_000 },
  ],
  // Real browsers: 10 scenario minutes in 20 s; the armed launch fails before starting a process.
  // Short jobs (5 pages), so that launches and new pages keep coming for the armed faults to fail.
  real: {
    timeScale: 1 / 30,
    durationMs: 10 * 60_000,
    workload: { concurrency: 4, pagesPerJob: 5, rampMs: 20_000 },
    // Not a scenario about the watchdog: a minute of real time, so that on a loaded machine (a new
    // page alone 5 to 8 s) its jobs end by the faults, not by the clock.
    pool: { watchdogMs: 30 * 60_000 },
  },
});
