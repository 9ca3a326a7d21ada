import type { EventData } from '../history/events.ts';

export type EndReason = EventData['run.end']['reason'];
/** How a history ends: the run's own `run.end`, or `cut` when it has none (the run was killed, or is still being written). */
export type Ending = EndReason | 'cut';

export interface Verdict {
  /** The process exit code: 0 pass, 1 fail, 2 unknown. */
  code: 0 | 1 | 2;
  verdict: 'pass' | 'fail' | 'unknown';
  why: string;
}

const CUT = 'the history is cut: it has no run.end (the run was killed, or is still being written)';

/**
 * A violation is a definite finding however the run ended, so it fails even an interrupted run or
 * a cut history. Without one, only a run that finished and exercised what its scenario says can
 * pass: one cut short may simply not have reached its bug, and one whose faults struck nothing or
 * whose jobs all failed tested nothing. Those are neither pass nor fail (exit 2, which CI can tell
 * apart from both).
 */
export function decideVerdict(input: { violations: number; ending: Ending; gaps?: readonly string[] }): Verdict {
  const { violations, ending } = input;
  const gaps = input.gaps ?? [];
  if (violations > 0) {
    const finding = `${violations} violation${violations === 1 ? '' : 's'} found`;
    if (ending === 'done') return { code: 1, verdict: 'fail', why: finding };
    return { code: 1, verdict: 'fail', why: `${finding} (${ending === 'cut' ? CUT : `the run ended early: ${ending}`})` };
  }
  if (ending !== 'done')
    return {
      code: 2,
      verdict: 'unknown',
      why: `no violation seen, but ${ending === 'cut' ? CUT : `the run did not finish (ended by ${ending})`}`,
    };
  if (gaps.length > 0)
    return { code: 2, verdict: 'unknown', why: `no violation seen, but the run tested less than its scenario says: ${gaps.join('; ')}` };
  return { code: 0, verdict: 'pass', why: 'the run finished, its faults struck, its jobs worked and every invariant and budget held' };
}
