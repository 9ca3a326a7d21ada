import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { quiescence } from './quiescence.ts';

describe('quiescence', () => {
  it('lists everything left after close', () => {
    const b = new HistoryBuilder();
    for (const browser of ['b1', 'b2', 'b3', 'b4']) b.up(browser);
    b.settle({
      counter: 2,
      sessions: ['j9'],
      locks: [
        { session: 'j3', holders: 1 },
        { session: 'j5', holders: 1 },
        { session: 'j9', holders: 1 },
      ],
    });
    const quiet = b.quiescent(1, ['lock-sweep']);
    const [violation, ...rest] = violationsOf(quiescence, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'quiescence',
      message: 'after close: counter 2, 1 sessions, 3 locks, 4 browsers, 1 timers remain',
      values: {
        counter: 2,
        sessions: 1,
        sessionIds: ['j9'],
        locks: 3,
        lockSessions: ['j3', 'j5', 'j9'],
        browsers: 4,
        browserIds: ['b1', 'b2', 'b3', 'b4'],
        pendingTimers: 1,
        timerLabels: ['lock-sweep'],
      },
      seq: quiet.seq,
    });
    expect(violation!.recent.at(-1)).toBe(quiet);
  });

  it('names only what remains', () => {
    const b = new HistoryBuilder();
    b.up('b1');
    b.quiescent();
    expect(violationsOf(quiescence, b.events).map((v) => v.message)).toEqual(['after close: 1 browsers remain']);
  });

  it('stays silent when the pool released everything', () => {
    const b = new HistoryBuilder();
    b.up('b1');
    b.settle({ counter: 1, sessions: ['j1'], locks: [{ session: 'j1', holders: 1 }] });
    b.close('b1');
    b.closed('b1');
    b.settle({ counter: 0, sessions: [], locks: [] });
    b.quiescent(0, []);
    expect(violationsOf(quiescence, b.events)).toEqual([]);
  });
});
