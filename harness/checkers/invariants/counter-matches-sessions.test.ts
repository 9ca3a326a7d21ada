import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { counterMatchesSessions } from './counter-matches-sessions.ts';

/** Four jobs hold a browser each, as the pool sees it. */
function fourSessions(b: HistoryBuilder): void {
  for (const job of ['j1', 'j2', 'j3', 'j4']) b.counter(job, 1, 'launch');
  b.settle({ counter: 4, sessions: ['j1', 'j2', 'j3', 'j4'] });
}

describe('counter-matches-sessions', () => {
  it('fires when a double release leaves the counter below the sessions', () => {
    const b = new HistoryBuilder();
    fourSessions(b);
    const watchdog = b.counter('j3', -1, 'watchdog', 'legacy-pool.ts:88:7 (safeCloseSession)');
    const second = b.counter('j3', -1, 'finally', 'legacy-pool.ts:120:5 (closeSession)');
    const settle = b.settle({ counter: 2, sessions: ['j1', 'j2', 'j3', 'j4'] });
    const [violation, ...rest] = violationsOf(counterMatchesSessions, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'counter-matches-sessions',
      message: 'counter(2) < sessions(4)',
      values: { counter: 2, sessions: 4, launching: 0, closing: 0, opening: 0, closingParts: 0, sessionIds: ['j1', 'j2', 'j3', 'j4'] },
      seq: settle.seq,
      t: settle.t,
      session: 'j3',
      at: 'legacy-pool.ts:120:5 (closeSession)',
    });
    expect(violation!.recent).toContain(watchdog);
    expect(violation!.recent).toContain(second);
  });

  it('fires when the counter stays above the sessions', () => {
    const b = new HistoryBuilder();
    for (const job of ['j1', 'j2', 'j3', 'j4', 'j5']) b.counter(job, 1, 'launch');
    b.settle({ counter: 5, sessions: ['j1', 'j2', 'j3'] });
    const [violation] = violationsOf(counterMatchesSessions, b.events);
    expect(violation?.message).toBe('counter(5) > sessions(3)');
    expect(violation?.session).toBe('j5');
  });

  it('blames the latest change in the direction of the drift, not a job that merely started', () => {
    const b = new HistoryBuilder();
    fourSessions(b);
    b.counter('j3', -1, 'watchdog');
    const culprit = b.counter('j3', -1, 'finally', 'legacy-pool.ts:120:5 (closeSession)');
    b.counter('j5', 1, 'launch', 'legacy-pool.ts:60:5 (getCamoufoxPage)');
    b.settle({ counter: 3 });
    const [violation] = violationsOf(counterMatchesSessions, b.events);
    expect(violation).toMatchObject({ message: 'counter(3) < sessions(4)', session: 'j3', at: culprit.at });
    expect(violation!.recent).toContain(culprit);
  });

  it('blames a missing decrement on the session that ended holding its slot, not on the latest increment', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch', 'pool.ts:10:5 (acquire)');
    b.counter('j2', 1, 'launch', 'pool.ts:10:5 (acquire)');
    b.settle({ counter: 2, sessions: ['j1', 'j2'] });
    b.jobWorkEnd('j1', false);
    const leakerEnd = b.jobEnd('j1', false);
    b.settle({ sessions: ['j2'] });
    b.jobStart('j3');
    b.counter('j3', 1, 'launch', 'pool.ts:10:5 (acquire) j3');
    b.settle({ counter: 3, sessions: ['j2', 'j3'] });
    const [violation, ...rest] = violationsOf(counterMatchesSessions, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({ message: 'counter(2) > sessions(1)', session: 'j1', at: 'pool.ts:10:5 (acquire)' });
    expect(violation!.recent).toContain(leakerEnd);
    expect(violation!.recent.every((event) => event.session === 'j1')).toBe(true);
  });

  it('blames the run when the pool reports no counter changes', () => {
    const b = new HistoryBuilder();
    const settle = b.settle({ counter: 1, sessions: [] });
    const [violation] = violationsOf(counterMatchesSessions, b.events);
    expect(violation?.session).toBeUndefined();
    expect(violation?.at).toBeUndefined();
    expect(violation?.recent).toEqual([settle]);
  });

  it('tolerates the counter one ahead while a launch is in flight', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch');
    b.launch('b1', 'j1');
    b.settle({ counter: 1, sessions: [] });
    b.launched('b1', 'j1');
    b.settle({ sessions: ['j1'] });
    expect(violationsOf(counterMatchesSessions, b.events)).toEqual([]);
  });

  it('tolerates a job’s page opening after its browser launched, before the session is listed', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch');
    b.launch('b1', 'j1');
    b.launched('b1', 'j1');
    const newPage = b.emit('driver.call', { op: 'newPage', target: 'b1' }, { session: 'j1' });
    b.settle({ counter: 1, sessions: [] });
    b.returns('newPage', 'b1', newPage.seq, 'j1');
    b.settle({ sessions: ['j1'] });
    expect(violationsOf(counterMatchesSessions, b.events)).toEqual([]);
  });

  it('tolerates a session dropped while its page closes, before its browser closes', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch');
    b.launch('b1', 'j1');
    b.launched('b1', 'j1');
    b.settle({ counter: 1, sessions: ['j1'] });
    const closePage = b.close('b1/p2', 'j1');
    b.settle({ sessions: [] });
    b.returns('close', 'b1/p2', closePage.seq, 'j1');
    b.close('b1', 'j1');
    b.settle({});
    b.closed('b1', 'j1');
    b.counter('j1', -1, 'finally');
    b.settle({ counter: 0 });
    expect(violationsOf(counterMatchesSessions, b.events)).toEqual([]);
  });

  it('tolerates no more than the launches in flight', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch');
    b.counter('j2', 1, 'launch');
    b.launch('b1', 'j1');
    b.settle({ counter: 2, sessions: [] });
    expect(violationsOf(counterMatchesSessions, b.events).map((v) => v.message)).toEqual(['counter(2) > sessions(0)']);
  });

  it('tolerates a session gone before its counter while its browser closes', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch');
    b.launch('b1', 'j1');
    b.launched('b1', 'j1');
    b.settle({ counter: 1, sessions: ['j1'] });
    b.close('b1', 'j1');
    b.settle({ sessions: [] });
    b.closed('b1', 'j1');
    b.counter('j1', -1, 'finally');
    b.settle({ counter: 0 });
    expect(violationsOf(counterMatchesSessions, b.events)).toEqual([]);
  });

  it('reports a standing mismatch once, however many settles it lasts', () => {
    const b = new HistoryBuilder();
    fourSessions(b);
    b.counter('j3', -1, 'watchdog');
    b.counter('j3', -1, 'finally');
    b.settle({ counter: 2 });
    for (let i = 0; i < 4; i++) {
      b.advance(1000).timer('runner', 'tick');
      b.settle({});
    }
    expect(violationsOf(counterMatchesSessions, b.events)).toHaveLength(1);
  });

  it('reports a new episode after the invariant held again', () => {
    const b = new HistoryBuilder();
    fourSessions(b);
    b.settle({ counter: 3 });
    b.settle({ counter: 4 });
    b.settle({ counter: 5 });
    expect(violationsOf(counterMatchesSessions, b.events).map((v) => v.message)).toEqual([
      'counter(3) < sessions(4)',
      'counter(5) > sessions(4)',
    ]);
  });

  it('does not count an old drift again when a launch in flight widens the band', () => {
    const b = new HistoryBuilder();
    fourSessions(b);
    b.settle({ counter: 3 }); // drift -1, reported
    b.launch('b9', 'j9');
    b.settle({ counter: 4 }); // j9 counted before its session exists: within the band
    b.up('b9');
    b.launched('b9', 'j9');
    b.settle({ counter: 4, sessions: ['j1', 'j2', 'j3', 'j4', 'j9'] }); // quiet again, still -1
    expect(violationsOf(counterMatchesSessions, b.events).map((v) => v.values.drift)).toEqual([-1]);
  });

  it('reports each new drift: a second double release makes one more mismatch', () => {
    const b = new HistoryBuilder();
    fourSessions(b);
    b.settle({ counter: 3 });
    b.settle({ counter: 2 });
    expect(violationsOf(counterMatchesSessions, b.events).map((v) => v.message)).toEqual([
      'counter(3) < sessions(4)',
      'counter(2) < sessions(4)',
    ]);
  });
});
