import type { Violation } from '../checkers/violation.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Figures } from './figures.ts';
import { formatNumber } from './format.ts';

/**
 * The scenario's budgets checked against the run's figures: a run can keep every invariant and
 * still fail because it grew memory or closed browsers in a storm. Budgets are judged on the whole
 * run, so their violations are placed at its last event. A figure that could not be measured
 * (no memory slope) does not break its budget. Equal to the budget is within it.
 */
export function budgetViolations(budgets: Scenario['budgets'], figures: Figures, lastEvent: { seq: number; t: number }): Violation[] {
  const violations: Violation[] = [];
  const growth = figures.memoryGrowthMBPerHour;
  if (budgets.memoryGrowthMBPerHour !== undefined && growth !== null && growth > budgets.memoryGrowthMBPerHour) {
    violations.push({
      invariant: 'budget',
      message: `memory growth ${formatNumber(growth)} MB/h > budget ${formatNumber(budgets.memoryGrowthMBPerHour)}`,
      values: {
        figure: 'memoryGrowthMBPerHour',
        measured: growth,
        budget: budgets.memoryGrowthMBPerHour,
        samples: figures.memorySamples,
      },
      seq: lastEvent.seq,
      t: lastEvent.t,
      recent: [],
    });
  }
  const heapGrowth = figures.heapGrowthMBPerHour;
  if (budgets.heapGrowthMBPerHour !== undefined && heapGrowth !== null && heapGrowth > budgets.heapGrowthMBPerHour) {
    violations.push({
      invariant: 'budget',
      message: `heap growth ${formatNumber(heapGrowth)} MB/h (used heap after GC, measured) > budget ${formatNumber(budgets.heapGrowthMBPerHour)}`,
      values: { figure: 'heapGrowthMBPerHour', measured: heapGrowth, budget: budgets.heapGrowthMBPerHour, samples: figures.heapSamples },
      seq: lastEvent.seq,
      t: lastEvent.t,
      recent: [],
    });
  }
  if (budgets.peakClosesPerSecond !== undefined && figures.peakClosesPerSecond > budgets.peakClosesPerSecond) {
    violations.push({
      invariant: 'budget',
      message: `peak closes per second ${formatNumber(figures.peakClosesPerSecond)} > budget ${formatNumber(budgets.peakClosesPerSecond)}`,
      values: {
        figure: 'peakClosesPerSecond',
        measured: figures.peakClosesPerSecond,
        budget: budgets.peakClosesPerSecond,
        ...(figures.peakClosesAtMs === null ? {} : { atMs: figures.peakClosesAtMs }),
      },
      seq: lastEvent.seq,
      t: lastEvent.t,
      recent: [],
    });
  }
  return violations;
}
