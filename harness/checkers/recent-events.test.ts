import { describe, expect, it } from 'vitest';
import { RECENT_EVENTS, RecentEvents } from './recent-events.ts';
import { HistoryBuilder } from './test-events.ts';

describe('RecentEvents', () => {
  it('is empty at first', () => {
    expect(new RecentEvents().toArray()).toEqual([]);
  });

  it('keeps fewer events than its size in order', () => {
    const b = new HistoryBuilder();
    const recent = new RecentEvents();
    for (let i = 0; i < 5; i++) recent.push(b.timer('runner', `t${i}`));
    expect(recent.toArray().map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps only the last events, oldest first, once it wraps', () => {
    const b = new HistoryBuilder();
    const recent = new RecentEvents();
    for (let i = 0; i < RECENT_EVENTS + 8; i++) recent.push(b.timer('runner', `t${i}`));
    expect(recent.toArray().map((e) => e.seq)).toEqual(Array.from({ length: RECENT_EVENTS }, (_, i) => i + 8));
  });

  it('is exact at the wrap boundary', () => {
    const b = new HistoryBuilder();
    const recent = new RecentEvents();
    for (let i = 0; i < RECENT_EVENTS; i++) recent.push(b.timer('runner', `t${i}`));
    expect(recent.toArray().map((e) => e.seq)).toEqual(Array.from({ length: RECENT_EVENTS }, (_, i) => i));
  });
});
