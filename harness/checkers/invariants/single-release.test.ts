import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { singleRelease } from './single-release.ts';

describe('single-release', () => {
  it('fires at the second release of one session, naming both paths', () => {
    const b = new HistoryBuilder();
    const up = b.counter('j7', 1, 'launch');
    b.counter('j8', 1, 'launch');
    const first = b.counter('j7', -1, 'watchdog', 'legacy-pool.ts:96:9 (safeCloseSession)');
    const second = b.counter('j7', -1, 'finally', 'legacy-pool.ts:120:5 (closeSession)');
    const [violation, ...rest] = violationsOf(singleRelease, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'single-release',
      message: 'j7 released twice: paths watchdog, finally',
      values: { increments: 1, decrements: 2, paths: ['watchdog', 'finally'], counter: 0 },
      seq: second.seq,
      t: second.t,
      session: 'j7',
      at: 'legacy-pool.ts:120:5 (closeSession)',
    });
    expect(violation!.recent).toEqual([up, first, second]);
  });

  it('fires again at a third release', () => {
    const b = new HistoryBuilder();
    b.counter('j7', 1, 'launch');
    b.counter('j7', -1, 'watchdog');
    b.counter('j7', -1, 'finally');
    b.counter('j7', -1, 'disconnected');
    expect(violationsOf(singleRelease, b.events).map((v) => v.message)).toEqual([
      'j7 released twice: paths watchdog, finally',
      'j7 released 3 times: paths watchdog, finally, disconnected',
    ]);
  });

  it('stays silent when each session releases what it took, rollbacks included', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch');
    b.counter('j1', -1, 'launch-failed');
    b.counter('j2', 1, 'acquire');
    b.counter('j3', 1, 'acquire');
    b.counter('j2', -1, 'watchdog');
    b.counter('j3', -1, 'finally');
    expect(violationsOf(singleRelease, b.events)).toEqual([]);
  });
});
