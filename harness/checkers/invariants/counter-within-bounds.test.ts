import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { counterWithinBounds } from './counter-within-bounds.ts';

describe('counter-within-bounds', () => {
  it('fires when the counter passes maxBrowsers', () => {
    const b = new HistoryBuilder();
    b.start({ maxBrowsers: 2 });
    b.counter('j1', 1, 'launch');
    b.counter('j2', 1, 'launch');
    const third = b.counter('j3', 1, 'launch', 'pool.ts:40:3 (acquire)');
    const settle = b.settle({ counter: 3 });
    const [violation, ...rest] = violationsOf(counterWithinBounds, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'counter-within-bounds',
      message: 'counter(3) > maxBrowsers(2)',
      values: { counter: 3, maxBrowsers: 2 },
      seq: settle.seq,
      session: 'j3',
      at: 'pool.ts:40:3 (acquire)',
    });
    expect(violation!.recent).toContain(third);
  });

  it('fires when the counter goes negative', () => {
    const b = new HistoryBuilder();
    b.counter('j1', -1, 'finally');
    b.settle({ counter: -1 });
    const [violation] = violationsOf(counterWithinBounds, b.events);
    expect(violation?.message).toBe('counter(-1) < 0');
    expect(violation?.values).toEqual({ counter: -1 });
  });

  it('stays silent within bounds, at the limit included', () => {
    const b = new HistoryBuilder();
    b.start({ maxBrowsers: 2 });
    b.settle({ counter: 0 });
    b.settle({ counter: 2 });
    b.settle({ counter: 1 });
    expect(violationsOf(counterWithinBounds, b.events)).toEqual([]);
  });

  it('skips the upper bound when the limit is unknown', () => {
    const b = new HistoryBuilder();
    b.start({});
    b.settle({ counter: 500 });
    expect(violationsOf(counterWithinBounds, b.events)).toEqual([]);
  });

  it('reports once per episode', () => {
    const b = new HistoryBuilder();
    b.start({ maxBrowsers: 2 });
    b.settle({ counter: 3 });
    b.settle({ counter: 4 });
    b.settle({});
    b.settle({ counter: 2 });
    b.settle({ counter: -1 });
    expect(violationsOf(counterWithinBounds, b.events).map((v) => v.message)).toEqual(['counter(3) > maxBrowsers(2)', 'counter(-1) < 0']);
  });
});
