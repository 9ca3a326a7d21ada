import type { EventData } from '../history/events.ts';

export type EndReason = EventData['run.end']['reason'];

export interface Verdict {
  /** The process exit code: 0 pass, 1 fail, 2 unknown. */
  code: 0 | 1 | 2;
  verdict: 'pass' | 'fail' | 'unknown';
  why: string;
}

/**
 * A violation is a definite finding however the run ended, so it fails even an interrupted run.
 * Without one, only a run that finished can pass: one cut short may simply not have reached its bug,
 * so it is neither a pass nor a fail (exit 2, which CI can tell apart from both).
 */
export function decideVerdict(input: { violations: number; endReason: EndReason }): Verdict {
  const { violations, endReason } = input;
  if (violations > 0) {
    const finding = `${violations} violation${violations === 1 ? '' : 's'} found`;
    return { code: 1, verdict: 'fail', why: endReason === 'done' ? finding : `${finding} (the run ended early: ${endReason})` };
  }
  if (endReason !== 'done') {
    return { code: 2, verdict: 'unknown', why: `no violation seen, but the run did not finish (ended by ${endReason})` };
  }
  return { code: 0, verdict: 'pass', why: 'the run finished and every invariant and budget held' };
}
