import { describe, expect, it } from 'vitest';
import { decideVerdict } from './verdict.ts';

describe('verdict', () => {
  it('passes a finished run without violations or gaps', () => {
    expect(decideVerdict({ violations: 0, ending: 'done', gaps: [] })).toMatchObject({ code: 0, verdict: 'pass' });
  });

  it('fails on any violation, however the run ended and whatever it left untested', () => {
    for (const ending of ['done', 'deadline', 'interrupted', 'error', 'cut'] as const) {
      expect(decideVerdict({ violations: 1, ending, gaps: ['0 of 8 jobs completed'] })).toMatchObject({ code: 1, verdict: 'fail' });
    }
    expect(decideVerdict({ violations: 3, ending: 'interrupted' }).why).toBe('3 violations found (the run ended early: interrupted)');
    expect(decideVerdict({ violations: 1, ending: 'done' }).why).toBe('1 violation found');
    expect(decideVerdict({ violations: 2, ending: 'cut' }).why).toMatch(/^2 violations found \(the history is cut: it has no run\.end/);
  });

  it('cannot tell on an unfinished run or a cut history without violations', () => {
    for (const ending of ['deadline', 'interrupted', 'error', 'cut'] as const) {
      const verdict = decideVerdict({ violations: 0, ending });
      expect(verdict).toMatchObject({ code: 2, verdict: 'unknown' });
      expect(verdict.why).toContain(ending);
    }
  });

  it('cannot tell on a finished run that tested less than its scenario says, and says what it missed', () => {
    const verdict = decideVerdict({
      violations: 0,
      ending: 'done',
      gaps: ['3 of 4 stall strikes found no working session', '0 of 8 jobs completed'],
    });
    expect(verdict).toMatchObject({ code: 2, verdict: 'unknown' });
    expect(verdict.why).toBe(
      'no violation seen, but the run tested less than its scenario says: 3 of 4 stall strikes found no working session; 0 of 8 jobs completed',
    );
  });
});
