import { describe, expect, it } from 'vitest';
import type { RunExpectations } from '../history/events.ts';
import { coverageGaps } from './coverage.ts';
import { figuresOf, history } from './testing/fixtures.ts';

const expects = (over: Partial<RunExpectations> = {}): RunExpectations => ({
  faults: [{ kind: 'stall' }],
  minJobsWorked: 1,
  budgets: {},
  memoryFromMs: 0,
  ...over,
});

/** A history with these jobs (true: ok) and, for fault 0 (a stall), these strikes (true: struck one session, false: missed). */
function figures(jobs: boolean[], strikes: boolean[]) {
  const h = history();
  let struck = 0;
  for (const [i, ok] of strikes.entries()) {
    if (ok) h.add('fault.start', i * 1000, { fault: 'stall', id: i + 1, target: 'b1', entry: 0, strike: ++struck }, 'j1');
    else h.add('fault.missed', i * 1000, { fault: 'stall', entry: 0 });
  }
  for (const [i, ok] of jobs.entries()) {
    h.add('job.start', 10_000 + i, { pages: 1 }, `j${i}`);
    h.add('job.end', 20_000 + i, ok ? { ok, ms: 1 } : { ok, ms: 1, error: 'watchdog timeout after 310531 ms (j1)' }, `j${i}`);
  }
  return figuresOf(h.events);
}

describe('coverage', () => {
  it('has no gap when every strike struck and a job worked', () => {
    expect(coverageGaps(expects(), figures([true, false], [true, true]))).toEqual([]);
  });

  it('names the strikes that found no working session and the jobs that did not work, with why the first failed', () => {
    expect(coverageGaps(expects(), figures([false, false, false], [false, true, false, false]))).toEqual([
      '3 of 4 stall strikes found no working session',
      '0 of 3 jobs completed (the scenario asks at least 1); the first failed: watchdog timeout after 310531 ms (j1)',
    ]);
  });

  it('counts a strike at all working sessions once, and a fault that never struck as a gap', () => {
    const h = history();
    for (const target of ['b1', 'b2', 'b3']) h.add('fault.start', 1000, { fault: 'stall', id: 1, target, entry: 0, strike: 1 });
    h.add('job.end', 2000, { ok: true, ms: 1 }, 'j1');
    const twoFaults = expects({ faults: [{ kind: 'stall', minStrikes: 2 }, { kind: 'crash' }] });
    expect(coverageGaps(twoFaults, figuresOf(h.events))).toEqual([
      '1 stall strike struck, the scenario asks at least 2',
      'the crash fault never struck (its time never came while jobs ran)',
    ]);
  });

  it('counts a strike still waiting when a service stopped neither for nor against the run', () => {
    const h = history();
    h.add('fault.start', 1000, { fault: 'stall', id: 1, target: 'b1', entry: 0, strike: 1 }, 'j1');
    h.add('job.end', 2000, { ok: true, ms: 1 }, 'j1');
    h.add('fault.pending', 3000, { fault: 'stall', entry: 0 });
    const run = figuresOf(h.events);
    expect(run.faultEntries[0]).toEqual({ fault: 'stall', struck: 1, missed: 0, pending: 1 });
    expect(run.faultsMissed).toBe(0);
    expect(coverageGaps(expects(), run)).toEqual([]);
    // Pending is not struck either: a fault that only ever waited tested nothing.
    const waitedOnly = history();
    waitedOnly.add('job.end', 2000, { ok: true, ms: 1 }, 'j1');
    waitedOnly.add('fault.pending', 3000, { fault: 'stall', entry: 0 });
    expect(coverageGaps(expects(), figuresOf(waitedOnly.events))).toEqual([
      'the stall fault never struck (it was still waiting for working sessions when the run stopped)',
    ]);
  });

  it('lets the scenario accept missed strikes (minStrikes) and runs in which no job works (minJobsWorked 0)', () => {
    const lenient = expects({ faults: [{ kind: 'stall', minStrikes: 1 }], minJobsWorked: 0 });
    expect(coverageGaps(lenient, figures([false], [false, true, false]))).toEqual([]);
    expect(coverageGaps(expects({ faults: [{ kind: 'stall', minStrikes: 0 }] }), figures([true], []))).toEqual([]);
  });
  it('counts arrivals above maxBrowsers and abandoned jobs, and names what fell short of the scenario', () => {
    const h = history();
    h.add('run.start', 0, {
      scenario: 't',
      pool: 't',
      driver: 'sim',
      seed: 1,
      durationMs: 60_000,
      pool_config: { maxBrowsers: 1 },
      timeScale: 1,
    });
    h.add('job.start', 1, { pages: 1 }, 'j1');
    h.add('job.start', 2, { pages: 1 }, 'j2'); // j1 is in the pool: above the limit
    h.add('job.abandon', 3, { working: false }, 'j2');
    h.add('job.end', 4, { ok: false, ms: 2, error: 'caller abandoned j2 after 2 ms' }, 'j2');
    h.add('job.end', 5, { ok: true, ms: 4 }, 'j1');
    h.add('job.start', 6, { pages: 1 }, 'j3'); // the pool is empty again
    h.add('job.end', 7, { ok: true, ms: 1 }, 'j3');
    const figures = figuresOf(h.events);
    expect(figures.arrivalsAboveLimit).toBe(1);
    expect(figures.abandons).toEqual({ waiting: 1, working: 0 });
    expect(figures.jobs).toMatchObject({ ok: 2, failed: 0, abandoned: 1 });
    const asks = expects({ faults: [], minArrivalsAboveLimit: 2, minAbandonedWaiting: 1, minAbandonedWorking: 1 });
    expect(coverageGaps(asks, figures)).toEqual([
      '1 jobs arrived while maxBrowsers jobs were in the pool (the scenario asks at least 2)',
      '0 jobs abandoned while they worked (the scenario asks at least 1)',
    ]);
  });
});
