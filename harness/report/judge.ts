import type { Violation } from '../checkers/violation.ts';
import type { RunExpectations } from '../history/events.ts';
import { budgetViolations } from './budgets.ts';
import { coverageGaps } from './coverage.ts';
import type { Figures } from './figures.ts';
import { decideVerdict, type Ending, type Verdict } from './verdict.ts';

export interface Judgement {
  verdict: Verdict;
  /** The budgets the figures broke, as violations placed at the last event. */
  overBudget: Violation[];
  /** What the run tested less of than its scenario says (coverage.ts). */
  gaps: string[];
}

/** Said when a history does not record its expectations: what it should have exercised is unknown. */
export const NO_EXPECTATIONS = 'the history does not say what its scenario expects (its run.start has no expects)';

/**
 * A run's verdict from what its checkers found, its figures and how it ended, against what its
 * scenario expects: one judge for `tally run` (report.json) and `tally check` (a saved history),
 * so the two cannot disagree.
 */
export function judgeRun(input: {
  expects: RunExpectations | undefined;
  figures: Figures;
  /** Violations the invariant checkers found (budgets are judged here). */
  checkerViolations: number;
  ending: Ending;
  lastEvent: { seq: number; t: number };
  /** Why the invariants were not checked as the run went (its checkers were off): nothing can pass unchecked. */
  unchecked?: string | undefined;
}): Judgement {
  const { expects, figures } = input;
  const overBudget = expects ? budgetViolations(expects.budgets, figures, input.lastEvent) : [];
  const gaps = [
    ...(input.unchecked === undefined ? [] : [input.unchecked]),
    ...(expects ? coverageGaps(expects, figures) : [NO_EXPECTATIONS]),
  ];
  const verdict = decideVerdict({ violations: input.checkerViolations + overBudget.length, ending: input.ending, gaps });
  return { verdict, overBudget, gaps };
}
