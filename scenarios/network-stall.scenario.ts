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
  // Real browsers: 9 scenario minutes in 36 s; a stall is a request the site never answers. The
  // watchdog is 18 s real: a launch, a new page (5 to 8 s on two loaded cores) and 8 pages fit it
  // (at 12 s every job timed out on a loaded machine and nothing was tested), and a job stalled
  // in its first seconds still times out well before the run ends.
  real: {
    timeScale: 1 / 15,
    durationMs: 9 * 60_000,
    workload: { concurrency: 4, pagesPerJob: 8, rampMs: 20_000 },
    pool: { watchdogMs: 270_000 },
  },
});
