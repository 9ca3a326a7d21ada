import type { Violation } from '../checkers/violation.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Figures, TimeWindow } from './figures.ts';
import { formatNumber, formatVirtualTime } from './format.ts';

/**
 * The scenario's budgets checked against the run's figures: a run can keep every invariant and
 * still fail because it grew memory or closed browsers in a storm. Budgets are judged on the whole
 * run, so their violations are placed at its last event. A figure that could not be measured
 * (no memory slope) does not break its budget. Equal to the budget is within it. Each message
 * says what the figure was measured on (its samples and their time window, or the second of the
 * peak), so the line `tally run` prints as the first violation stands on its own.
 */
export function budgetViolations(budgets: Scenario['budgets'], figures: Figures, lastEvent: { seq: number; t: number }): Violation[] {
  const violations: Violation[] = [];
  const growth = figures.memoryGrowthMBPerHour;
  if (budgets.memoryGrowthMBPerHour !== undefined && growth !== null && growth > budgets.memoryGrowthMBPerHour) {
    violations.push({
      invariant: 'budget',
      message: `memory growth ${formatNumber(growth)} MB/h > budget ${formatNumber(budgets.memoryGrowthMBPerHour)}${fittedOn(figures.memorySamples, figures.memoryWindowMs, figures.memorySource)}`,
      values: {
        figure: 'memoryGrowthMBPerHour',
        measured: growth,
        budget: budgets.memoryGrowthMBPerHour,
        samples: figures.memorySamples,
        ...windowValues(figures.memoryWindowMs),
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
      message: `heap growth ${formatNumber(heapGrowth)} MB/h (used heap after GC, measured) > budget ${formatNumber(budgets.heapGrowthMBPerHour)}${fittedOn(figures.heapSamples, figures.heapWindowMs, 'heap.sample')}`,
      values: {
        figure: 'heapGrowthMBPerHour',
        measured: heapGrowth,
        budget: budgets.heapGrowthMBPerHour,
        samples: figures.heapSamples,
        ...windowValues(figures.heapWindowMs),
      },
      seq: lastEvent.seq,
      t: lastEvent.t,
      recent: [],
    });
  }
  const leaked = figures.leakedObjects;
  if (budgets.leakedObjects !== undefined && leaked !== null && leaked > budgets.leakedObjects) {
    violations.push({
      invariant: 'budget',
      message: `leaked objects ${leaked} > budget ${budgets.leakedObjects} (allocated between the baseline and target heap snapshots, still held by the closed pool or let go of alive)${figures.leakTop === null ? '' : `; top cluster: ${figures.leakTop}`}`,
      values: {
        figure: 'leakedObjects',
        measured: leaked,
        budget: budgets.leakedObjects,
        ...(figures.leakTop === null ? {} : { top: figures.leakTop }),
      },
      seq: lastEvent.seq,
      t: lastEvent.t,
      recent: [],
    });
  }
  if (budgets.peakClosesPerSecond !== undefined && figures.peakClosesPerSecond > budgets.peakClosesPerSecond) {
    violations.push({
      invariant: 'budget',
      message: `peak closes per second ${formatNumber(figures.peakClosesPerSecond)} > budget ${formatNumber(budgets.peakClosesPerSecond)}${peakSecond(figures.peakClosesAtMs)}`,
      values: {
        figure: 'peakClosesPerSecond',
        measured: figures.peakClosesPerSecond,
        budget: budgets.peakClosesPerSecond,
        ...(figures.peakClosesAtMs === null ? {} : { atMs: figures.peakClosesAtMs, ...windowValues(secondFrom(figures.peakClosesAtMs)) }),
      },
      seq: lastEvent.seq,
      t: lastEvent.t,
      recent: [],
    });
  }
  return violations;
}

/** ` (fitted on 12 os.sample events from 00:05:00.000 to 01:00:00.000)`: what a growth was fitted on. */
function fittedOn(samples: number, window: TimeWindow | null, source: string): string {
  if (window === null) return '';
  return ` (fitted on ${samples} ${source} events from ${formatVirtualTime(window.fromMs)} to ${formatVirtualTime(window.toMs)})`;
}

/** ` (in the second from 01:00:00.000)`: where a per-second peak happened. */
function peakSecond(atMs: number | null): string {
  return atMs === null ? '' : ` (in the second from ${formatVirtualTime(atMs)} to ${formatVirtualTime(atMs + 1000)})`;
}

function secondFrom(atMs: number): TimeWindow {
  return { fromMs: atMs, toMs: atMs + 1000 };
}

function windowValues(window: TimeWindow | null): { fromMs?: number; toMs?: number } {
  return window === null ? {} : { fromMs: window.fromMs, toMs: window.toMs };
}
