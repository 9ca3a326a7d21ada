import { describe, expect, it } from 'vitest';
import type { HistoryEvent, OsBrowserTree, OsSampleReason } from '../../history/events.ts';
import { HistoryBuilder, stateAfter, violationsOf } from '../testing/history-builder.ts';
import { counterMatchesProcesses } from './counter-matches-processes.ts';

/** A long time on any machine: the band must not depend on how long processes take to exit. */
const AN_HOUR_MS = 3_600_000;

/** The operating system's view: browsers by id, with 3 processes each (main first). */
function osSample(b: HistoryBuilder, browsers: string[], reason: OsSampleReason = 'interval'): HistoryEvent<'os.sample'> {
  const trees: OsBrowserTree[] = browsers.map((browser, i) => ({
    browser,
    mainPid: 100 * (i + 1),
    pids: [100 * (i + 1), 100 * (i + 1) + 1, 100 * (i + 1) + 2],
    pssMB: 120,
  }));
  return b.emit('os.sample', { browsers: trees, processes: trees.length * 3, pssMB: trees.length * 120, reason });
}

/** Jobs j1..jn, each with a browser launched, up and counted. */
function browsersUp(b: HistoryBuilder, n: number): void {
  for (let i = 1; i <= n; i++) {
    b.counter(`j${i}`, 1, 'launch');
    b.launch(`b${i}`, `j${i}`);
    b.launched(`b${i}`, `j${i}`);
  }
  b.settle({ counter: n, sessions: Array.from({ length: n }, (_, i) => `j${i + 1}`) });
}

const messages = (b: HistoryBuilder) => violationsOf(counterMatchesProcesses, b.events).map((v) => v.message);

describe('counter-matches-processes', () => {
  it('fires when the counter drops below the browsers that still have processes', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 3);
    b.counter('j2', -1, 'watchdog');
    b.counter('j2', -1, 'finally', 'legacy-pool.ts:120:5 (closeSession)');
    b.settle({ counter: 1 });
    const sample = osSample(b, ['b1', 'b2', 'b3']);
    const [violation, ...rest] = violationsOf(counterMatchesProcesses, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'counter-matches-processes',
      message: 'counter(1) < browsers with processes(3)',
      values: {
        counter: 1,
        browsers: 3,
        drift: -2,
        launching: 0,
        opening: 0,
        closing: 0,
        exiting: 0,
        browserIds: ['b1', 'b2', 'b3'],
        processes: 9,
        pssMB: 360,
      },
      seq: sample.seq,
      session: 'j2',
      at: 'legacy-pool.ts:120:5 (closeSession)',
    });
  });

  it('fires when the counter counts a browser whose processes are gone', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 2);
    osSample(b, ['b1']);
    expect(messages(b)).toEqual(['counter(2) > browsers with processes(1)']);
  });

  it('holds while a launch is in flight, whether or not its processes are there yet', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 1);
    b.counter('j2', 1, 'launch');
    b.launch('b2', 'j2');
    b.settle({ counter: 2, sessions: ['j1', 'j2'] });
    osSample(b, ['b1']);
    osSample(b, ['b1', 'b2']);
    b.launched('b2', 'j2');
    osSample(b, ['b1', 'b2']);
    expect(messages(b)).toEqual([]);
  });

  it('holds while a close is in flight', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 2);
    b.counter('j2', -1, 'finally');
    b.close('b2', 'j2');
    b.settle({ counter: 1, sessions: ['j1'] });
    osSample(b, ['b1', 'b2']);
    expect(messages(b)).toEqual([]);
  });

  it('keeps a closed browser whose processes are still exiting in the band, however long they take', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 2);
    b.counter('j2', -1, 'finally');
    b.close('b2', 'j2');
    b.closed('b2', 'j2');
    b.settle({ counter: 1, sessions: ['j1'] });
    for (let i = 0; i < 5; i++) {
      b.advance(AN_HOUR_MS);
      osSample(b, ['b1', 'b2']);
    }
    expect(messages(b)).toEqual([]);
  });

  it('takes a down browser out of the band once a sample shows its processes gone', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 2);
    b.close('b2', 'j2');
    b.closed('b2', 'j2');
    osSample(b, ['b1', 'b2'], 'browser');
    osSample(b, ['b1']);
    b.settle({});
    // The pool forgot to give the slot back: nothing is in flight any more to excuse it.
    osSample(b, ['b1']);
    const [violation, ...rest] = violationsOf(counterMatchesProcesses, b.events);
    expect(rest).toEqual([]);
    expect(violation?.message).toBe('counter(2) > browsers with processes(1)');
    expect(violation?.values).toMatchObject({ exiting: 0, exitingIds: [] });
  });

  it('holds just after a crash, before the pool gives the slot back and while nothing is left', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 2);
    b.down('b2', 'crash', 'j2');
    b.settle({});
    b.advance(100);
    osSample(b, ['b1'], 'browser');
    b.counter('j2', -1, 'disconnected');
    b.settle({ counter: 1, sessions: ['j1'] });
    b.advance(AN_HOUR_MS);
    osSample(b, ['b1']);
    expect(messages(b)).toEqual([]);
  });

  it('holds while a crashed browser is gone from the samples but not yet down for the driver, however long its disconnect takes', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 2);
    b.emit('fault.start', { fault: 'crash', id: 1, target: 'b2', entry: 0, strike: 1 }, { session: 'j2' });
    b.advance(AN_HOUR_MS);
    osSample(b, ['b1']);
    b.settle({});
    osSample(b, ['b1']);
    expect(messages(b)).toEqual([]);
    b.down('b2', 'crash', 'j2');
    b.counter('j2', -1, 'disconnected');
    b.settle({ counter: 1, sessions: ['j1'] });
    osSample(b, ['b1']);
    expect(messages(b)).toEqual([]);
  });

  it('counts a crash strike in the band only until the driver sees the browser down', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 2);
    b.emit('fault.start', { fault: 'crash', id: 1, target: 'b2', entry: 0, strike: 1 }, { session: 'j2' });
    b.down('b2', 'crash', 'j2');
    osSample(b, ['b1']);
    b.settle({});
    // The pool never gave b2's slot back: once the loss is settled, the counter's 2 against 1 is a drift.
    osSample(b, ['b1']);
    expect(messages(b)).toEqual(['counter(2) > browsers with processes(1)']);
  });

  it('reports a standing drift once, and again when it comes back after being fixed', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 2);
    b.settle({ counter: 1 });
    for (let i = 0; i < 4; i++) osSample(b, ['b1', 'b2']);
    expect(messages(b)).toHaveLength(1);
    b.settle({ counter: 2 });
    osSample(b, ['b1', 'b2']);
    b.settle({ counter: 3 });
    osSample(b, ['b1', 'b2']);
    osSample(b, ['b1', 'b2']);
    expect(messages(b)).toEqual(['counter(1) < browsers with processes(2)', 'counter(3) > browsers with processes(2)']);
  });

  it('never fires without os.sample events (the sim driver records none)', () => {
    const b = new HistoryBuilder();
    browsersUp(b, 2);
    b.settle({ counter: 0 });
    b.down('b1', 'crash');
    expect(messages(b)).toEqual([]);
  });

  it('keeps no down browser waiting for its processes on a run whose driver samples none', () => {
    const exitingAfter = (runId?: string) => {
      const b = new HistoryBuilder();
      b.start({ maxBrowsers: 50 }, runId);
      browsersUp(b, 40);
      for (let i = 1; i <= 40; i++) b.down(`b${i}`, 'crash');
      return stateAfter(counterMatchesProcesses, b.events).exiting.size;
    };
    expect(exitingAfter()).toBe(0);
    // The same history from a real driver's run keeps every one until a sample shows it gone.
    expect(exitingAfter('r1')).toBe(40);
  });
});
