import { createCheckSuite } from '../checkers/check-history.ts';
import type { InvariantName, Violation } from '../checkers/violation.ts';
import type { AnyEvent, RunExpectations } from '../history/events.ts';
import { createFigures, type Figures, type FiguresAccumulator } from './figures.ts';
import { type Judgement, judgeRun } from './judge.ts';
import type { Ending } from './verdict.ts';

export interface HistoryJudgement extends Judgement {
  events: number;
  /** The run's `run.end` reason, or `cut` when the history has none. */
  ending: Ending;
  /** The checkers' violations, in order (the budgets' are in `overBudget`). */
  violations: Violation[];
  counts: Record<InvariantName, number>;
  figures: Figures;
}

/**
 * A saved history judged as its run judged it: the invariants again, the figures, and the budgets
 * and coverage its `run.start` expects. A history without `run.end` is cut (killed, or still being
 * written): its violations stand, and without one it is undecided; so is a history with no events.
 */
export async function judgeHistory(events: AsyncIterable<AnyEvent>): Promise<HistoryJudgement> {
  const suite = createCheckSuite();
  let figures: FiguresAccumulator | undefined;
  let expects: RunExpectations | undefined;
  let ending: Ending = 'cut';
  let count = 0;
  let last = { seq: 0, t: 0 };
  for await (const event of events) {
    if (count === 0 && event.kind === 'run.start') expects = event.data.expects;
    // The memory slope starts where the run's started: known from run.start, the first event.
    figures ??= createFigures({ memoryFromMs: expects?.memoryFromMs ?? 0 });
    suite.step(event);
    figures.step(event);
    if (event.kind === 'run.end') ending = event.data.reason;
    count++;
    last = { seq: event.seq, t: event.t };
  }
  const result = (figures ?? createFigures()).result(suite.counts, suite.violations);
  const judgement = judgeRun({ expects, figures: result, checkerViolations: suite.violations.length, ending, lastEvent: last });
  if (count === 0) judgement.verdict = { code: 2, verdict: 'unknown', why: 'the history has no events: the run wrote nothing' };
  return { ...judgement, events: count, ending, violations: suite.violations, counts: suite.counts, figures: result };
}
