import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * A browser dies while its job works. In the legacy pool the `disconnected` handler, the exception
 * path and the finally block each decrement the counter: a crash can add the third decrement.
 */
export default defineScenario({
  name: 'browser-crash',
  description: 'Browsers crash mid-job: the disconnect handler joins the other cleanup paths.',
  seed: 1,
  durationMs: 30 * 60_000,
  workload: { concurrency: 10, pagesPerJob: 40, pageMs: 2_400, rampMs: 60_000 },
  pool: { maxBrowsers: 50, watchdogMs: 5 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  faults: [{ kind: 'crash', every: 90_000, target: 'one' }],
  // Real browsers: 10 scenario minutes in 20 s; a crash is a SIGKILL of the browser's main process.
  real: {
    timeScale: 1 / 30,
    durationMs: 10 * 60_000,
    workload: { concurrency: 4, pagesPerJob: 12, rampMs: 20_000 },
    // Not a scenario about the watchdog: a minute of real time, so that on a loaded machine (a new
    // page alone 5 to 8 s) its jobs end by the faults, not by the clock.
    pool: { watchdogMs: 30 * 60_000 },
  },
});
