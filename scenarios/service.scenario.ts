import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * The pool behind HTTP (`tally serve`): requests bring the jobs, so the workload here only sets
 * how long a simulated page takes. The scenario gives the pool's config and the time scale: one
 * scenario ms lasts 1/10 real ms, so a simulated page takes ~0.15 s and the 2-minute watchdog
 * 12 s. The service serves until SIGTERM; `durationMs` only paces the heap samples.
 */
export default defineScenario({
  name: 'service',
  description: 'The pool as an HTTP service: each POST /jobs is one review scrape; SIGTERM drains, closes the pool and writes the report.',
  seed: 1,
  durationMs: 60 * 60_000,
  workload: { concurrency: 1, pagesPerJob: 2, pageMs: 1_500, rampMs: 0 },
  pool: { maxBrowsers: 4, watchdogMs: 2 * 60_000, jitterMs: 10_000, sweepEveryMs: 30_000 },
  sampleEveryMs: 10_000,
  // The used heap after a full GC every 30 real seconds: how the service's memory grows while it serves.
  heap: { sampleEveryMs: 5 * 60_000 },
  // On real browsers the watchdog is a minute: a launch and a new page alone take 5 to 10 s on two
  // loaded cores, and a request the watchdog cuts is answered 502 for the machine's speed, not the pool's.
  real: { timeScale: 1 / 10, pool: { watchdogMs: 10 * 60_000 } },
});
