import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { counterMatchesBrowsers } from './counter-matches-browsers.ts';

/** Five jobs, each with a browser launched and up. */
function fiveBrowsers(b: HistoryBuilder): void {
  for (let i = 1; i <= 5; i++) {
    b.counter(`j${i}`, 1, 'launch');
    b.launch(`b${i}`, `j${i}`);
    b.launched(`b${i}`, `j${i}`);
  }
  b.settle({ counter: 5, sessions: ['j1', 'j2', 'j3', 'j4', 'j5'] });
}

describe('counter-matches-browsers', () => {
  it('fires when the counter drops below the browsers still alive', () => {
    const b = new HistoryBuilder();
    fiveBrowsers(b);
    b.counter('j2', -1, 'watchdog');
    const culprit = b.counter('j2', -1, 'finally', 'legacy-pool.ts:120:5 (closeSession)');
    const settle = b.settle({ counter: 3 });
    const [violation, ...rest] = violationsOf(counterMatchesBrowsers, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'counter-matches-browsers',
      message: 'counter(3) < browsers(5)',
      values: { counter: 3, browsers: 5, launching: 0, opening: 0, closing: 0, browserIds: ['b1', 'b2', 'b3', 'b4', 'b5'], closingIds: [] },
      seq: settle.seq,
      session: 'j2',
      at: 'legacy-pool.ts:120:5 (closeSession)',
    });
    expect(violation!.recent).toContain(culprit);
  });

  it('fires when a crashed browser is still counted', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch');
    b.launch('b1', 'j1');
    b.launched('b1', 'j1');
    b.settle({ counter: 1, sessions: ['j1'] });
    b.down('b1', 'crash', 'j1');
    b.settle({});
    const [violation] = violationsOf(counterMatchesBrowsers, b.events);
    expect(violation?.message).toBe('counter(1) > browsers(0)');
    expect(violation?.values.browserIds).toEqual([]);
  });

  it('tolerates launches and closes in flight', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch');
    b.launch('b1', 'j1');
    b.settle({ counter: 1, sessions: ['j1'] });
    b.launched('b1', 'j1');
    b.settle({});
    b.counter('j1', -1, 'finally');
    b.close('b1', 'j1');
    b.settle({ counter: 0, sessions: [] });
    b.closed('b1', 'j1');
    b.settle({});
    expect(violationsOf(counterMatchesBrowsers, b.events)).toEqual([]);
  });

  it('tolerates a slot given back while its page still opens, until the page opens and the browser closes', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'acquire');
    b.launch('b1', 'j1');
    b.launched('b1', 'j1');
    const open = b.emit('driver.call', { op: 'newContext', target: 'b1' }, { session: 'j1' });
    b.settle({ counter: 1, sessions: ['j1'] });
    b.counter('j1', -1, 'pool-close'); // released at once; the close waits for the page
    b.settle({ counter: 0, sessions: [] });
    b.returns('newContext', 'b1', open.seq, 'j1');
    b.close('b1', 'j1');
    b.settle({});
    b.closed('b1', 'j1');
    b.settle({});
    expect(violationsOf(counterMatchesBrowsers, b.events)).toEqual([]);
    b.counter('j2', 1, 'acquire');
    b.launch('b2', 'j2');
    b.launched('b2', 'j2');
    b.settle({ counter: 1, sessions: ['j2'] });
    b.counter('j2', -1, 'finally'); // given back with nothing in flight: the browser is simply left
    b.settle({ counter: 0, sessions: [] });
    expect(violationsOf(counterMatchesBrowsers, b.events).map((v) => v.message)).toEqual(['counter(0) < browsers(1)']);
  });

  it('reports a standing leak once, and each new drift after it was fixed and came back', () => {
    const b = new HistoryBuilder();
    fiveBrowsers(b);
    b.settle({ counter: 3 });
    for (let i = 0; i < 5; i++) b.settle({});
    expect(violationsOf(counterMatchesBrowsers, b.events)).toHaveLength(1);
    b.settle({ counter: 5 });
    b.settle({ counter: 4 });
    expect(violationsOf(counterMatchesBrowsers, b.events)).toHaveLength(2);
    b.settle({ counter: 3 }); // worse again: one more mismatch
    b.settle({ counter: 3 });
    expect(violationsOf(counterMatchesBrowsers, b.events).map((v) => v.values.drift)).toEqual([-2, -1, -2]);
  });

  describe('a crash, whichever way the pool gives the slot back', () => {
    /** Two jobs with a browser each; b2 crashes and its disconnect is delivered. */
    function crashed(b: HistoryBuilder): void {
      for (const i of [1, 2]) {
        b.counter(`j${i}`, 1, 'launch');
        b.launch(`b${i}`, `j${i}`);
        b.launched(`b${i}`, `j${i}`);
      }
      b.settle({ counter: 2, sessions: ['j1', 'j2'] });
      b.down('b2', 'crash', 'j2', false);
    }

    it('holds for a pool that decrements only after closing the dead browser has confirmed', () => {
      const b = new HistoryBuilder();
      crashed(b);
      const close = b.close('b2', 'j2');
      b.handled('b2');
      b.settle({});
      b.returns('close', 'b2', close.seq, 'j2');
      b.counter('j2', -1, 'disconnected');
      b.settle({ counter: 1, sessions: ['j1'] });
      expect(violationsOf(counterMatchesBrowsers, b.events)).toEqual([]);
    });

    it('holds for a pool that decrements before it closes the dead browser', () => {
      const b = new HistoryBuilder();
      crashed(b);
      b.counter('j2', -1, 'disconnected');
      const close = b.close('b2', 'j2');
      b.handled('b2');
      b.settle({ counter: 1, sessions: ['j1'] });
      b.returns('close', 'b2', close.seq, 'j2');
      b.settle({});
      expect(violationsOf(counterMatchesBrowsers, b.events)).toEqual([]);
    });

    it('holds while an async disconnect listener has not finished, and fires once it has without a decrement', () => {
      const b = new HistoryBuilder();
      crashed(b);
      b.settle({});
      expect(violationsOf(counterMatchesBrowsers, b.events)).toEqual([]);
      b.handled('b2');
      b.settle({});
      expect(violationsOf(counterMatchesBrowsers, b.events).map((v) => v.message)).toEqual(['counter(2) > browsers(1)']);
    });

    it('holds while a real browser is down before its close returns', () => {
      const b = new HistoryBuilder();
      crashed(b);
      b.handled('b2');
      b.counter('j2', -1, 'disconnected');
      b.settle({ counter: 1, sessions: ['j1'] });
      const close = b.close('b1', 'j1');
      b.down('b1', 'close', 'j1');
      b.settle({});
      b.returns('close', 'b1', close.seq, 'j1');
      b.counter('j1', -1, 'finally');
      b.settle({ counter: 0, sessions: [] });
      expect(violationsOf(counterMatchesBrowsers, b.events)).toEqual([]);
    });
  });
});
