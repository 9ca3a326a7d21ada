import type { RunExpectations } from '../history/events.ts';
import type { Figures } from './figures.ts';

/** A failed job's error is quoted up to this length: enough to say why, short enough for one line. */
const MAX_ERROR_CHARS = 120;

/**
 * What the run tested less of than its scenario says, one phrase per gap; empty when it tested
 * all of it. A fault must have made its `minStrikes`, or by default every strike its schedule
 * called for (none finding no working session) and at least one. A strike still waiting for
 * working sessions when a service was stopped was never due (`pending`): it counts neither way,
 * so a service is not undecided for the strike the stop cut short. `minJobsWorked` jobs must have
 * completed ok; and as many jobs as the scenario asks must have arrived at a full pool or been
 * abandoned. A run with a gap and no violation proves nothing either way: it is undecided.
 */
export function coverageGaps(expects: RunExpectations, figures: Figures): string[] {
  const gaps: string[] = [];
  for (const [index, fault] of expects.faults.entries()) {
    const { struck, missed, pending } = figures.faultEntries[index] ?? { struck: 0, missed: 0, pending: 0 };
    const strikes = `${fault.kind} strike${struck + missed === 1 ? '' : 's'}`;
    if (fault.minStrikes !== undefined) {
      if (struck < fault.minStrikes)
        gaps.push(
          `${struck} ${strikes} struck, the scenario asks at least ${fault.minStrikes}${missed > 0 ? ` (${missed} found no working session)` : ''}`,
        );
    } else if (missed > 0) gaps.push(`${missed} of ${struck + missed} ${strikes} found no working session`);
    else if (struck === 0)
      gaps.push(
        pending > 0
          ? `the ${fault.kind} fault never struck (it was still waiting for working sessions when the run stopped)`
          : `the ${fault.kind} fault never struck (its time never came while jobs ran)`,
      );
  }
  // A leak budget nobody could judge is not a leak budget held.
  if (expects.budgets.leakedObjects !== undefined && figures.leakedObjects === null)
    gaps.push(`the leakedObjects budget could not be judged: ${figures.heapMissing.join('; ') || 'no leak analysis ran'}`);
  const { ok, started } = figures.jobs;
  if (ok < expects.minJobsWorked) {
    const why = figures.firstJobError === null ? '' : `; the first failed: ${oneLine(figures.firstJobError)}`;
    gaps.push(`${ok} of ${started} jobs completed (the scenario asks at least ${expects.minJobsWorked})${why}`);
  }
  const atLeast = (needed: number | undefined, seen: number, what: string) => {
    if (needed !== undefined && seen < needed) gaps.push(`${seen} ${what} (the scenario asks at least ${needed})`);
  };
  atLeast(expects.minArrivalsAboveLimit, figures.arrivalsAboveLimit, 'jobs arrived while maxBrowsers jobs were in the pool');
  atLeast(expects.minAbandonedWaiting, figures.abandons.waiting, 'jobs abandoned while they waited for a slot');
  atLeast(expects.minAbandonedWorking, figures.abandons.working, 'jobs abandoned while they worked');
  return gaps;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}…` : line;
}
