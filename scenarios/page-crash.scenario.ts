import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * A page's renderer dies mid-job (Chromium's "Aw, Snap!", Firefox's tab crash): every call on the
 * page fails with "Target crashed" while the browser itself stays up and connected. No
 * `disconnected` fires, so only the job's own cleanup can release the session; in the legacy
 * pool the throw skips release(), the lock is orphaned and the browser it pins stays open.
 */
export default defineScenario({
  name: 'page-crash',
  description: 'Renderers die mid-job: the work throws "Target crashed" while its browser stays up.',
  seed: 1,
  durationMs: 30 * 60_000,
  workload: { concurrency: 10, pagesPerJob: 40, pageMs: 2_400, rampMs: 60_000 },
  pool: { maxBrowsers: 50, watchdogMs: 5 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  faults: [{ kind: 'pageCrash', every: 90_000, target: 'one' }],
  // Real browsers: 10 scenario minutes in 20 s; the fault SIGKILLs the browser's renderer processes.
  real: {
    timeScale: 1 / 30,
    durationMs: 10 * 60_000,
    workload: { concurrency: 4, pagesPerJob: 12, rampMs: 20_000 },
    // Not a scenario about the watchdog: a minute of real time, so that on a loaded machine (a new
    // page alone 5 to 8 s) its jobs end by the faults, not by the clock.
    pool: { watchdogMs: 30 * 60_000 },
  },
});
