import { describe, expect, it } from 'vitest';
import { history } from '../testing/fixtures.ts';
import { MAX_POINTS, seriesFromHistory } from './series.ts';

describe('the series of report.html, from the history', () => {
  it('holds the counter and sessions of each settle, counts the browsers alive, and takes samples at their instant', () => {
    const h = history();
    h.add('sample', 0, { browsers: 0, pages: 0, memoryMB: 0 });
    h.add('settle', 0, { counter: 0, sessions: [], locks: [] });
    h.add('browser.up', 100, { browser: 'b1', memoryMB: 300 });
    h.add('settle', 100, { counter: 1, sessions: ['j1'] });
    h.add('browser.up', 200, { browser: 'b2', memoryMB: 300 });
    h.add('heap.sample', 200, { usedMB: 40, gcMs: 3 });
    // The counter drifts: a session is still open, the counter says none.
    h.add('settle', 300, { counter: 0 });
    h.add('browser.down', 400, { browser: 'b1', cause: 'crash' });
    h.add('sample', 400, { browsers: 1, pages: 1, memoryMB: 300 });
    const series = seriesFromHistory(h.events);
    expect(series.state).toEqual({
      t: [0, 100, 200, 300, 400],
      counter: [0, 1, 1, 0, 0],
      sessions: [0, 1, 1, 1, 1],
      browsers: [0, 1, 2, 2, 1],
      osBrowsers: [null, null, null, null, null],
    });
    expect(series.memory).toEqual({ t: [0, 200, 400], driverMB: [0, null, 300], osMB: [null, null, null], heapMB: [null, 40, null] });
    expect(series.endMs).toBe(400);
  });

  it('plots what the OS sees when the run has os.sample', () => {
    const h = history();
    h.add('os.sample', 50, { browsers: [{ browser: 'b1', pids: [10, 11], pssMB: 250 }], processes: 2, pssMB: 250, reason: 'interval' });
    const series = seriesFromHistory(h.events);
    expect(series.state.osBrowsers).toEqual([1]);
    expect(series.memory.osMB).toEqual([250]);
  });

  it('keeps a long history to MAX_POINTS, with the last value of every span', () => {
    const h = history();
    const changes = MAX_POINTS * 4;
    for (let i = 1; i <= changes; i++) h.add('settle', i * 10, { counter: i, sessions: Array.from({ length: i % 3 }, () => 'j') });
    const { state } = seriesFromHistory(h.events);
    expect(state.t.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(state.t.length).toBeGreaterThan(MAX_POINTS / 2);
    expect(state.t.at(-1)).toBe(changes * 10);
    expect(state.counter.at(-1)).toBe(changes);
    // Every value kept is the one the history had at that instant.
    expect(state.counter).toEqual(state.t.map((t) => t / 10));
  });
});
