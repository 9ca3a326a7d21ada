import { describe, expect, it } from 'vitest';
import { RECENT_EVENTS, RecentEvents } from './recent-events.ts';
import { HistoryBuilder } from './testing/history-builder.ts';

describe('RecentEvents', () => {
  it('is empty at first', () => {
    expect(new RecentEvents().last()).toEqual([]);
  });

  it('gives the last events in order, fewer when it holds fewer', () => {
    const b = new HistoryBuilder();
    const recent = new RecentEvents();
    for (let i = 0; i < 5; i++) recent.push(b.timer('runner', `t${i}`));
    expect(recent.last().map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(recent.last(2).map((e) => e.seq)).toEqual([3, 4]);
  });

  it('keeps only its window, oldest first, once it wraps, exact at the boundary', () => {
    const b = new HistoryBuilder();
    const recent = new RecentEvents(16);
    for (let i = 0; i < 16; i++) recent.push(b.timer('runner', `t${i}`));
    expect(recent.last(16).map((e) => e.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    for (let i = 0; i < 8; i++) recent.push(b.timer('runner', `u${i}`));
    expect(recent.last(100).map((e) => e.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 8));
  });

  it("draws a session's events out of the run's", () => {
    const b = new HistoryBuilder();
    const recent = new RecentEvents();
    const mine = [];
    for (let i = 0; i < 20; i++) {
      mine.push(b.jobStart('j1'));
      recent.push(mine.at(-1)!);
      recent.push(b.jobStart(`other${i}`));
    }
    expect(recent.last(RECENT_EVENTS, 'j1')).toEqual(mine.slice(-RECENT_EVENTS));
    expect(recent.last(RECENT_EVENTS, 'nobody')).toEqual([]);
  });
});
