import { describe, expect, it } from 'vitest';
import { createFigures, MAX_FAULT_WINDOWS } from './figures.ts';
import { driftViolation, figuresOf, history } from './testing/fixtures.ts';

const HOUR = 3_600_000;

describe('figures', () => {
  it('counts jobs that end unsuccessfully after an interrupt apart from failed ones', () => {
    const h = history();
    for (const job of ['j1', 'j2', 'j3']) h.add('job.start', 0, { pages: 1 }, job);
    h.add('job.end', 10, { ok: false, error: 'boom', ms: 10 }, 'j1');
    h.add('run.shutdown', 20, { reason: 'interrupted' });
    h.add('job.end', 30, { ok: false, error: 'the pool is closing', ms: 30 }, 'j2');
    h.add('job.end', 30, { ok: true, ms: 30 }, 'j3');
    expect(figuresOf(h.events).jobs).toEqual({ started: 3, ok: 1, failed: 1, interrupted: 1, abandoned: 0 });
  });

  it('counts jobs that fail once the shutdown fault closed the pool as interrupted, not failed', () => {
    const h = history();
    for (const job of ['j1', 'j2']) h.add('job.start', 0, { pages: 1 }, job);
    h.add('job.end', 10, { ok: false, error: 'boom', ms: 10 }, 'j1');
    h.add('pool.close', 20, { by: 'fault' });
    h.add('job.end', 30, { ok: false, error: 'the pool is closed', ms: 30 }, 'j2');
    expect(figuresOf(h.events).jobs).toEqual({ started: 2, ok: 0, failed: 1, interrupted: 1, abandoned: 0 });
  });

  it('fits memory growth by least squares: 0, 50, 100 MB at 0, 1, 2 h is 50 MB/h', () => {
    const h = history();
    h.add('sample', 0, { browsers: 0, pages: 0, memoryMB: 0 });
    h.add('sample', HOUR, { browsers: 1, pages: 1, memoryMB: 50 });
    h.add('sample', 2 * HOUR, { browsers: 1, pages: 1, memoryMB: 100 });
    const f = figuresOf(h.events);
    expect(f.memoryGrowthMBPerHour).toBeCloseTo(50, 9);
    expect(f.peakMemoryMB).toBe(100);
    expect(f.memorySamples).toBe(3);
  });

  it('fits the slope through noisy points the way the closed form does', () => {
    const h = history();
    const points: [number, number][] = [
      [0, 1000],
      [0.5, 1040],
      [1, 1030],
      [1.5, 1090],
      [2, 1100],
    ];
    for (const [x, y] of points) h.add('sample', x * HOUR, { browsers: 1, pages: 1, memoryMB: y });
    const n = points.length;
    const mx = points.reduce((s, [x]) => s + x, 0) / n;
    const my = points.reduce((s, [, y]) => s + y, 0) / n;
    const slope = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
    expect(figuresOf(h.events).memoryGrowthMBPerHour).toBeCloseTo(slope, 9);
  });

  it('has no memory slope with fewer than two samples or all samples at one time', () => {
    const one = history();
    one.add('sample', 0, { browsers: 0, pages: 0, memoryMB: 10 });
    expect(figuresOf(one.events).memoryGrowthMBPerHour).toBeNull();

    const sameTime = history();
    sameTime.add('sample', 5000, { browsers: 0, pages: 0, memoryMB: 10 });
    sameTime.add('sample', 5000, { browsers: 0, pages: 0, memoryMB: 20 });
    expect(figuresOf(sameTime.events).memoryGrowthMBPerHour).toBeNull();

    expect(figuresOf([]).peakMemoryMB).toBeNull();
  });

  it("fits memory on the operating system's PSS when the run has os.sample events, not on the driver's figure", () => {
    const h = history();
    const os = (t: number, pssMB: number, reason: 'interval' | 'browser' | 'quiescent' = 'interval') =>
      h.add('os.sample', t, { browsers: [], processes: 0, pssMB, reason });
    // The driver accounts a flat 300 MB; the processes really grow by 40 MB/h.
    for (let hour = 0; hour <= 2; hour++) h.add('sample', hour * HOUR, { browsers: 1, pages: 1, memoryMB: 300 });
    os(0, 400);
    os(HOUR, 440);
    os(2 * HOUR, 480);
    // Off the fit: a sample taken when a browser came up, and the one after close.
    os(2.5 * HOUR, 2000, 'browser');
    os(3 * HOUR, 0, 'quiescent');
    const f = figuresOf(h.events);
    expect(f.memorySource).toBe('os.sample');
    expect(f.memoryGrowthMBPerHour).toBeCloseTo(40, 9);
    expect(f.memorySamples).toBe(3);
    expect(f.peakMemoryMB).toBe(2000);

    const driverOnly = history();
    for (let hour = 0; hour <= 2; hour++) driverOnly.add('sample', hour * HOUR, { browsers: 1, pages: 1, memoryMB: 300 + hour * 10 });
    expect(figuresOf(driverOnly.events)).toMatchObject({
      memorySource: 'sample',
      memoryGrowthMBPerHour: expect.closeTo(10, 9),
      memorySamples: 3,
      peakMemoryMB: 320,
    });
  });

  it('leaves samples before memoryFromMs out of the slope but not out of the peak', () => {
    const h = history();
    h.add('sample', 0, { browsers: 0, pages: 0, memoryMB: 0 });
    h.add('sample', HOUR, { browsers: 50, pages: 50, memoryMB: 15_000 });
    h.add('sample', 2 * HOUR, { browsers: 50, pages: 50, memoryMB: 15_005 });
    const figures = createFigures({ memoryFromMs: HOUR });
    for (const e of h.events) figures.step(e);
    const f = figures.result({}, []);
    expect(f.memoryGrowthMBPerHour).toBeCloseTo(5, 9);
    expect(f.peakMemoryMB).toBe(15_005);
  });

  it('buckets closes by second of virtual time and counts only cause close', () => {
    const h = history();
    for (let i = 0; i < 3; i++) h.add('browser.down', 999, { browser: `a${i}`, cause: 'close' });
    // 1000..1999 is one bucket: five closes, plus a crash and a kill that do not count.
    for (let i = 0; i < 5; i++) h.add('browser.down', 1000 + i * 200, { browser: `b${i}`, cause: 'close' });
    h.add('browser.down', 1500, { browser: 'c', cause: 'crash' });
    h.add('browser.down', 1600, { browser: 'd', cause: 'kill' });
    for (let i = 0; i < 4; i++) h.add('browser.down', 2000, { browser: `e${i}`, cause: 'close' });
    const f = figuresOf(h.events);
    expect(f.peakClosesPerSecond).toBe(5);
    expect(f.peakClosesAtMs).toBe(1000);
  });

  it('finds the watchdog storm: fifty watchdogs in one second', () => {
    const h = history();
    h.add('pool.watchdog', 10_000, { afterMs: 300_000 }, 'job-0');
    for (let i = 0; i < 50; i++) h.add('pool.watchdog', 300_000 + i, { afterMs: 300_000 }, `job-${i}`);
    const f = figuresOf(h.events);
    expect(f.peakWatchdogsPerSecond).toBe(50);
    expect(f.peakWatchdogsAtMs).toBe(300_000);
    expect(figuresOf([]).peakWatchdogsAtMs).toBeNull();
  });

  it('scales counter mismatches and lock sweeps to 30 minutes of virtual time', () => {
    const h = history();
    h.add('pool.sweep', 60_000, { swept: 23, locks: 40, activeOps: 17 });
    h.add('pool.sweep', 120_000, { swept: 0, locks: 10, activeOps: 10 });
    h.add('pool.sweep', 180_000, { swept: 2, locks: 12, activeOps: 5 });
    h.add('settle', 3_600_000, {});
    const f = figuresOf(h.events, { 'counter-matches-sessions': 94, 'counter-matches-browsers': 5 }, [driftViolation()]);
    expect(f.virtualMs).toBe(3_600_000);
    expect(f.counterMismatches).toBe(94);
    expect(f.counterMismatchesPer30Min).toBe(47);
    expect(f.firstCounterMismatchMs).toBe(300_010);
    expect(f.lockSweeps).toBe(2);
    expect(f.lockSweepsPer30Min).toBe(1);
    expect(f.orphanLocksSwept).toBe(25);
  });

  it('reports zero rates for a run with no virtual time', () => {
    const f = figuresOf([], { 'counter-matches-sessions': 3 });
    expect(f.counterMismatches).toBe(3);
    expect(f.counterMismatchesPer30Min).toBe(0);
    expect(f.lockSweepsPer30Min).toBe(0);
    expect(f.firstCounterMismatchMs).toBeNull();
  });

  it('counts events, jobs, peak browsers and decrements by path', () => {
    const h = history();
    h.add('job.start', 0, { pages: 1 }, 'job-1');
    h.add('job.start', 0, { pages: 1 }, 'job-2');
    h.add('browser.up', 10, { browser: 'b1', memoryMB: 300 });
    h.add('browser.up', 20, { browser: 'b2', memoryMB: 300 });
    h.add('browser.down', 30, { browser: 'b1', cause: 'close' });
    h.add('browser.up', 40, { browser: 'b3', memoryMB: 300 });
    h.add('pool.counter', 50, { delta: 1, value: 1, path: 'acquire' });
    h.add('pool.counter', 60, { delta: -1, value: 0, path: 'closeSession' });
    h.add('pool.counter', 61, { delta: -1, value: 0, path: 'safeCloseSession' });
    h.add('pool.counter', 62, { delta: -1, value: 0, path: 'closeSession' });
    h.add('job.end', 70, { ok: true, ms: 70 }, 'job-1');
    h.add('job.end', 80, { ok: false, error: 'timeout', ms: 80 }, 'job-2');
    const f = figuresOf(h.events);
    expect(f.events).toBe(12);
    expect(f.virtualMs).toBe(80);
    expect(f.wallMs).toBe(8);
    expect(f.jobs).toEqual({ started: 2, ok: 1, failed: 1, interrupted: 0, abandoned: 0 });
    expect(f.peakBrowsers).toBe(2);
    expect(f.decrementsByPath).toEqual({ closeSession: 2, safeCloseSession: 1 });
  });

  it('builds fault windows from starts and ends matched by id', () => {
    const h = history();
    h.add('fault.start', 1000, { fault: 'hang', id: 1, target: 'b1', forMs: 5000 });
    h.add('fault.start', 2000, { fault: 'crash', id: 2, target: 'b2' });
    h.add('fault.start', 3000, { fault: 'slowClose', id: 3, target: 'b3', forMs: 4000 });
    h.add('fault.end', 4500, { fault: 'hang', id: 1, target: 'b1' });
    h.add('fault.missed', 5000, { fault: 'stall' });
    const f = figuresOf(h.events);
    expect(f.faultCount).toBe(3);
    expect(f.faultsMissed).toBe(1);
    expect(f.faultWindows).toEqual([
      { fault: 'hang', target: 'b1', fromMs: 1000, toMs: 4500 },
      { fault: 'crash', target: 'b2', fromMs: 2000, toMs: 2000 },
      { fault: 'slowClose', target: 'b3', fromMs: 3000, toMs: 7000 },
    ]);
  });

  it('caps fault windows but keeps counting faults', () => {
    const h = history();
    for (let i = 0; i < MAX_FAULT_WINDOWS + 25; i++) h.add('fault.start', i, { fault: 'throw', id: i, target: `job-${i}` });
    const f = figuresOf(h.events);
    expect(f.faultWindows).toHaveLength(MAX_FAULT_WINDOWS);
    expect(f.faultCount).toBe(MAX_FAULT_WINDOWS + 25);
  });

  it('returns a fresh copy each time, so an early result is not changed by later events', () => {
    const figures = createFigures();
    const h = history();
    h.add('fault.start', 0, { fault: 'hang', id: 1, target: 'b1', forMs: 100 });
    figures.step(h.events[0]!);
    const early = figures.result({}, []);
    figures.step(h.add('fault.end', 50, { fault: 'hang', id: 1, target: 'b1' }));
    expect(early.faultWindows[0]?.toMs).toBe(100);
    expect(figures.result({}, []).faultWindows[0]?.toMs).toBe(50);
  });
});
