import { describe, expect, it } from 'vitest';
import { updateSessionSet } from './session-set.ts';

/**
 * Applies each list in turn, as successive settles would, checking the set after each, and that
 * every id that came or went is among those reported changed (unless the set was rebuilt).
 */
function follow(lists: readonly string[][]): void {
  const set = new Set<string>();
  let previous: readonly string[] = [];
  for (const next of lists) {
    const before = new Set(set);
    const changed: string[] = [];
    const exact = updateSessionSet(set, previous, next, changed);
    expect(set).toEqual(new Set(next));
    if (exact) {
      const moved = [...before, ...set].filter((id) => before.has(id) !== set.has(id));
      expect(changed).toEqual(expect.arrayContaining(moved));
      expect(changed.length).toBeLessThanOrEqual(2);
    }
    previous = next;
  }
}

describe('updateSessionSet', () => {
  it('follows lists that change by one id added, removed or replaced, or by many', () => {
    follow([
      ['j1'],
      ['j1', 'j2'],
      ['j1', 'j2', 'j3'],
      ['j1', 'j3'],
      ['j1', 'j4'],
      ['j4'],
      [],
      ['j5', 'j5'],
      ['j5'],
      ['j6', 'j7', 'j8'],
      ['j7', 'j8', 'j9'],
      ['j8', 'j7', 'j9'],
      ['j7', 'j9'],
      ['j7', 'j9'],
    ]);
  });

  it('stays exact under random single and bulk changes', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lists: string[][] = [];
    let sessions: string[] = [];
    let id = 0;
    for (let step = 0; step < 2000; step++) {
      const roll = next();
      if (roll < 0.4) sessions = [...sessions, `j${++id}`];
      else if (roll < 0.8 && sessions.length > 0) sessions = sessions.filter((_, i) => i !== Math.floor(next() * sessions.length));
      else if (roll < 0.9 && sessions.length > 0)
        sessions = sessions.map((s, i) => (i === Math.floor(next() * sessions.length) ? `j${++id}` : s));
      else sessions = sessions.filter(() => next() < 0.5).concat([`j${++id}`, `j${++id}`]);
      lists.push(sessions);
    }
    follow(lists);
  });
});
