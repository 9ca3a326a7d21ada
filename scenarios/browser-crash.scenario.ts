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
  // 12 pages (up to ~6 s on a loaded machine) leave room under the 10 s real watchdog for a launch.
  real: { timeScale: 1 / 30, durationMs: 10 * 60_000, workload: { concurrency: 4, pagesPerJob: 12, rampMs: 20_000 } },
});
