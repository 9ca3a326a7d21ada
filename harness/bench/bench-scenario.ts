import { parseScenario } from '../scenario/load-scenario.ts';
import type { Scenario } from '../scenario/schema.ts';

/** The benches' workload: 50 concurrent sessions under crashes, stalls and exceptions. */
export function fiftySessions(minutes: number): Scenario {
  return parseScenario(
    {
      name: 'bench-50-sessions',
      description: '50 concurrent sessions with mixed faults',
      seed: 7,
      durationMs: minutes * 60_000,
      workload: { concurrency: 50, pagesPerJob: 20, pageMs: 1_500, rampMs: 5_000 },
      pool: { maxBrowsers: 60, watchdogMs: 60_000, jitterMs: 10_000 },
      faults: [
        { kind: 'crash', every: 20_000 },
        { kind: 'stall', every: 30_000 },
        { kind: 'throw', every: 15_000 },
      ],
    },
    'bench',
  );
}
