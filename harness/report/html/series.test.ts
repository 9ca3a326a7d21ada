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

  it('counts closes and watchdog fires per second as the report does (crashes are not closes), and plots each job latency', () => {
    const h = history();
    for (const [t, browser] of [
      [1000, 'b1'],
      [1100, 'b2'],
      [1500, 'b3'],
      [2500, 'b4'],
    ] as const)
      h.add('browser.down', t, { browser, cause: 'close' });
    h.add('browser.down', 1200, { browser: 'b5', cause: 'crash' });
    h.add('pool.watchdog', 1000, { afterMs: 1000 }, 'j1');
    h.add('job.end', 1000, { ok: false, ms: 1000 }, 'j1');
    h.add('job.end', 2600, { ok: true, ms: 800 }, 'j2');
    const { storm, jobs } = seriesFromHistory(h.events);
    expect(storm).toEqual({ t: [0, 1000, 2000], closes: [0, 3, 1], watchdogs: [0, 1, 0], spanS: 1 });
    expect(jobs).toEqual({ t: [1000, 2600], okMs: [null, 800], failedMs: [1000, null] });
  });

  it('keeps the peak second of each span when a long run has more seconds than MAX_POINTS', () => {
    const h = history();
    const seconds = MAX_POINTS * 3;
    h.add('browser.down', 7_200, { browser: 'b1', cause: 'close' });
    h.add('browser.down', 7_300, { browser: 'b2', cause: 'close' });
    h.add('browser.down', 8_100, { browser: 'b3', cause: 'close' });
    h.add('settle', seconds * 1000, {});
    const { storm } = seriesFromHistory(h.events);
    expect(storm.spanS).toBe(3);
    expect(storm.t.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    // Seconds 7 and 8 share the span [6, 9): its value is the busier second (2), not the sum (3).
    expect(storm.closes[2]).toBe(2);
    expect(Math.max(...storm.closes)).toBe(2);
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
