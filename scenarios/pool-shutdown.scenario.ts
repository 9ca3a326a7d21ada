import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * The service is told to stop while jobs work: `pool.close()` is called mid-run, and no job starts
 * after it. Every invariant stays on against the closed pool: close() returns only once no job
 * works, no job uses a browser after it, a job that arrives later is refused, and the pool leaves
 * nothing behind. The runner's own close at the end waits for this one.
 */
export default defineScenario({
  name: 'pool-shutdown',
  description: 'pool.close() mid-run while jobs work: it must stop them, refuse new ones and leave nothing.',
  seed: 1,
  durationMs: 5 * 60_000,
  workload: { concurrency: 10, pagesPerJob: 30, pageMs: 2_400, rampMs: 30_000 },
  pool: { maxBrowsers: 50, watchdogMs: 5 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  // After the first jobs have finished, so the run shows the pool worked before it was closed.
  faults: [{ kind: 'shutdown', at: 2 * 60_000, afterWorking: 5 }],
  // Real browsers: 5 scenario minutes in 30 s; the close comes once four sessions work.
  real: {
    timeScale: 1 / 10,
    durationMs: 5 * 60_000,
    workload: { concurrency: 4, pagesPerJob: 10, rampMs: 20_000 },
    faults: [{ kind: 'shutdown', at: 2 * 60_000, afterWorking: 4 }],
  },
});
