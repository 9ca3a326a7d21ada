import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * A day in production, in virtual time: five-minute jobs around the clock with every fault the
 * story met, mixed. Memory growth (least squares over the samples) is held to a budget.
 */
export default defineScenario({
  name: 'soak',
  description: '24 hours of mixed faults: crashes, stalls, hangs, exceptions and slow closes.',
  seed: 1,
  durationMs: 24 * 60 * 60_000,
  workload: { concurrency: 4, pagesPerJob: 20, pageMs: 15_000, rampMs: 60_000 },
  pool: { maxBrowsers: 50, watchdogMs: 10 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  // A crash of a browser the jobs share ends every job at once; a stall or throw timed at the same
  // instant waits for the next job to work instead of striking nothing (afterWorking).
  faults: [
    { kind: 'crash', every: 30 * 60_000, probability: 0.5 },
    { kind: 'stall', every: 45 * 60_000, probability: 0.5, afterWorking: 1 },
    { kind: 'throw', every: 20 * 60_000, probability: 0.5, afterWorking: 1 },
    { kind: 'hang', every: 60 * 60_000, forMs: 15 * 60_000 },
    { kind: 'slowClose', every: 2 * 60 * 60_000, forMs: 30_000 },
  ],
  sampleEveryMs: 5 * 60_000,
  // The heap budget: the fixed pool grows the used heap ~0.2 MB/h here (the harness's own traces and
  // checker state); a pool that keeps something per job grows it by MBs.
  budgets: { memoryGrowthMBPerHour: 50, heapGrowthMBPerHour: 0.6 },
  // Real browsers: 24 scenario hours in 24 real minutes, fewer pages per job (a real page takes
  // ~0.2 s, 4 scenario minutes at this scale). Not part of the tests: run it by hand.
  real: { timeScale: 1 / 60, workload: { pagesPerJob: 5 } },
});
