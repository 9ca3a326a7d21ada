import { describe, expect, it } from 'vitest';
import type { Violation } from '../checkers/violation.ts';
import { groupViolations } from './violation-groups.ts';

function violation(seq: number, invariant: Violation['invariant'], at: string | undefined, session?: string): Violation {
  return {
    invariant,
    message: `m${seq}`,
    values: {},
    seq,
    t: seq * 10,
    ...(at === undefined ? {} : { at }),
    ...(session === undefined ? {} : { session }),
    recent: [],
  };
}

describe('groupViolations', () => {
  it('makes one group per invariant and call site, the largest first, each with its first violation and distinct sessions', () => {
    const groups = groupViolations([
      violation(1, 'lock-ownership', 'pool.ts:10', 'job-1'),
      violation(2, 'counter-matches-sessions', 'pool.ts:116', 'job-2'),
      violation(3, 'counter-matches-sessions', 'pool.ts:116', 'job-3'),
      violation(4, 'counter-matches-sessions', 'pool.ts:116', 'job-3'),
      violation(5, 'counter-matches-sessions', 'pool.ts:90', 'job-4'),
      violation(6, 'quiescence', undefined),
    ]);
    expect(groups.map((g) => [g.invariant, g.at, g.count, g.sessions, g.first.seq])).toEqual([
      ['counter-matches-sessions', 'pool.ts:116', 3, 2, 2],
      ['lock-ownership', 'pool.ts:10', 1, 1, 1],
      ['counter-matches-sessions', 'pool.ts:90', 1, 1, 5],
      ['quiescence', null, 1, 0, 6],
    ]);
  });

  it('keeps apart one call site of two invariants', () => {
    const groups = groupViolations([violation(1, 'lock-ownership', 'x.ts:1'), violation(2, 'single-release', 'x.ts:1')]);
    expect(groups).toHaveLength(2);
    expect(groupViolations([])).toEqual([]);
  });
});
