import { describe, expect, it } from 'vitest';
import { decideVerdict } from './verdict.ts';

describe('verdict', () => {
  it('passes a finished run without violations', () => {
    expect(decideVerdict({ violations: 0, endReason: 'done' })).toMatchObject({ code: 0, verdict: 'pass' });
  });

  it('fails on any violation, however the run ended', () => {
    for (const endReason of ['done', 'deadline', 'interrupted', 'error'] as const) {
      expect(decideVerdict({ violations: 1, endReason })).toMatchObject({ code: 1, verdict: 'fail' });
    }
    expect(decideVerdict({ violations: 3, endReason: 'interrupted' }).why).toBe('3 violations found (the run ended early: interrupted)');
    expect(decideVerdict({ violations: 1, endReason: 'done' }).why).toBe('1 violation found');
  });

  it('cannot tell on an unfinished run without violations', () => {
    for (const endReason of ['deadline', 'interrupted', 'error'] as const) {
      const verdict = decideVerdict({ violations: 0, endReason });
      expect(verdict).toMatchObject({ code: 2, verdict: 'unknown' });
      expect(verdict.why).toContain(endReason);
    }
  });
});
