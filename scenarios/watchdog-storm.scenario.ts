import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * The thundering herd: 50 jobs start together and every navigation stalls, so all 50 watchdogs
 * fire at the same instant unless they are jittered. The report gives peak closes and watchdog
 * fires per second; compare `--pool fixed` with `--pool fixed --set pool.jitterMs=0`.
 */
export default defineScenario({
  name: 'watchdog-storm',
  description: '50 jobs time out together: peak closes per second with and without jitter.',
  seed: 1,
  durationMs: 60_000,
  workload: { jobs: 50, concurrency: 50, pagesPerJob: 40, pageMs: 2_400, rampMs: 0 },
  pool: { maxBrowsers: 50, watchdogMs: 5 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  faults: [{ kind: 'stall', at: 30_000, target: 'all' }],
  budgets: { peakClosesPerSecond: 10 },
  // Every job is meant to time out: the storm is what is tested, not the jobs.
  coverage: { minJobsWorked: 0 },
  // Real browsers: as many as two cores carry, all stalled at once once all eight are working
  // (eight real launches on two cores take seconds, not the sim's 0.8 s, and more under load). The
  // watchdog is 20 s real: eight launches and new pages on two loaded cores fit it, so all eight
  // are working when the stall comes (at 10 s the first timed out before the last worked, and the
  // stall waited for eight working sessions that never were).
  real: {
    timeScale: 1 / 30,
    workload: { jobs: 8, concurrency: 8, pagesPerJob: 40 },
    faults: [{ kind: 'stall', at: 30_000, target: 'all', afterWorking: 8 }],
    pool: { watchdogMs: 10 * 60_000 },
  },
});
