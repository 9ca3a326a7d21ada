import type { RunExpectations } from '../history/events.ts';
import type { Scenario } from './schema.ts';

/**
 * What a run of this scenario must show to pass beyond its invariants, as recorded in `run.start`:
 * its faults' strikes, the jobs that must work, its budgets, and where the memory slope starts.
 */
export function expectationsOf(scenario: Scenario): RunExpectations {
  return {
    faults: scenario.faults.map((fault) => ({
      kind: fault.kind,
      ...(fault.minStrikes === undefined ? {} : { minStrikes: fault.minStrikes }),
    })),
    minJobsWorked: scenario.coverage.minJobsWorked,
    ...definedOnly({
      minArrivalsAboveLimit: scenario.coverage.minArrivalsAboveLimit,
      minAbandonedWaiting: scenario.coverage.minAbandonedWaiting,
      minAbandonedWorking: scenario.coverage.minAbandonedWorking,
    }),
    budgets: { ...scenario.budgets },
    // Memory growth is fitted over the steady state: from when every slot has started to the end of
    // the duration, not over the ramp-up (0 to N browsers) or the drain after it.
    memoryFromMs: scenario.workload.rampMs + scenario.sim.launchMs + scenario.sampleEveryMs,
  };
}

/** The fields that are set: `run.start` records no `undefined`, so a saved history reads back the same. */
function definedOnly<T extends Record<string, number | undefined>>(fields: T): { [K in keyof T]?: number } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: number };
}
