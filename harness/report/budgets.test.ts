import { describe, expect, it } from 'vitest';
import { budgetViolations } from './budgets.ts';
import { figuresOf, history } from './testing/fixtures.ts';

const HOUR = 3_600_000;

function stormFigures() {
  const h = history();
  h.add('sample', 0, { browsers: 50, pages: 50, memoryMB: 15_000 });
  h.add('sample', HOUR, { browsers: 50, pages: 50, memoryMB: 15_412.5 });
  for (let i = 0; i < 50; i++) h.add('browser.down', HOUR + 300, { browser: `b${i}`, cause: 'close' });
  return figuresOf(h.events);
}

describe('budgets', () => {
  it('fire when memory growth and peak closes exceed them', () => {
    const violations = budgetViolations({ memoryGrowthMBPerHour: 50, peakClosesPerSecond: 10 }, stormFigures(), { seq: 51, t: HOUR + 300 });
    expect(violations.map((v) => v.message)).toEqual([
      'memory growth 412.5 MB/h > budget 50 (fitted on 2 sample events from 00:00:00.000 to 01:00:00.000)',
      'peak closes per second 50 > budget 10 (in the second from 01:00:00.000 to 01:00:01.000)',
    ]);
    expect(violations[0]?.values).toMatchObject({ samples: 2, fromMs: 0, toMs: HOUR });
    for (const v of violations) {
      expect(v.invariant).toBe('budget');
      expect(v.recent).toEqual([]);
      expect(v.seq).toBe(51);
      expect(v.t).toBe(HOUR + 300);
    }
    expect(violations[1]?.values).toMatchObject({ measured: 50, budget: 10, atMs: HOUR, fromMs: HOUR, toMs: HOUR + 1000 });
  });

  it('stay silent within budget, at the budget exactly, and when no budget is set', () => {
    const figures = stormFigures();
    expect(budgetViolations({ memoryGrowthMBPerHour: 500, peakClosesPerSecond: 50 }, figures, { seq: 0, t: 0 })).toEqual([]);
    expect(budgetViolations({}, figures, { seq: 0, t: 0 })).toEqual([]);
  });

  it('do not fire on a memory slope that could not be measured', () => {
    expect(budgetViolations({ memoryGrowthMBPerHour: 0 }, figuresOf([]), { seq: 0, t: 0 })).toEqual([]);
  });
});
