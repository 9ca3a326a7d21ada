import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../checkers/testing/history-builder.ts';
import type { Violation } from '../../checkers/violation.ts';
import { RunMetrics } from './run-metrics.ts';

const MIB = 1024 * 1024;

function fold(history: HistoryBuilder): RunMetrics {
  const metrics = new RunMetrics();
  for (const event of history.events) metrics.event(event);
  return metrics;
}

describe('RunMetrics', () => {
  it("takes the run's identity from run.start", () => {
    const h = new HistoryBuilder();
    expect(new RunMetrics().runAttributes).toBeUndefined();
    h.start();
    expect(fold(h).runAttributes).toEqual({ 'tally.scenario': 'test', 'tally.pool': 'test', 'tally.driver': 'sim', 'tally.seed': '1' });
  });

  it('follows counter, sessions and locks from settles (an absent field is unchanged) and browsers from the driver', () => {
    const h = new HistoryBuilder();
    h.start();
    h.launch('b1', 'j1');
    h.launched('b1', 'j1');
    h.launch('b2', 'j2');
    h.launched('b2', 'j2');
    h.settle({ counter: 2, sessions: ['j1', 'j2'], locks: [{ session: 'j1', holders: 1 }] });
    h.close('b1', 'j1');
    h.closed('b1', 'j1');
    h.down('b2', 'crash', 'j2');
    h.settle({ counter: 0 });
    const metrics = fold(h);
    expect([metrics.counter, metrics.sessions, metrics.locks]).toEqual([0, 2, 1]);
    expect(metrics.browsersDriver).toBe(0);
    expect(metrics.browserCloses).toBe(1); // the crash is not a close
    expect(metrics.browsersOs).toBeUndefined();
  });

  it('counts jobs by outcome, their durations in seconds into buckets, and watchdog fires', async () => {
    const h = new HistoryBuilder();
    h.start();
    h.jobStart('j1');
    h.jobStart('j2');
    h.watchdog('j2');
    h.emit('job.end', { ok: true, ms: 4_000 }, { session: 'j1' });
    h.emit('job.end', { ok: false, error: 'watchdog', ms: 300_000 }, { session: 'j2' });
    const metrics = fold(h);
    expect([metrics.jobsStarted, metrics.jobsOk, metrics.jobsFailed, metrics.watchdogFires]).toEqual([2, 1, 1, 1]);
    const { values } = await metrics.jobDuration.get();
    const value = (name: string, outcome: string, le?: number) =>
      values.find((v) => v.metricName === name && v.labels.tally_job_outcome === outcome && v.labels.le === le)?.value;
    expect([value('tally_job_duration_seconds_count', 'ok'), value('tally_job_duration_seconds_sum', 'ok')]).toEqual([1, 4]);
    expect([value('tally_job_duration_seconds_bucket', 'ok', 1), value('tally_job_duration_seconds_bucket', 'ok', 5)]).toEqual([0, 1]);
    // An upper bound is inclusive (le): 300 s falls in the 300 bucket.
    expect([value('tally_job_duration_seconds_bucket', 'failed', 180), value('tally_job_duration_seconds_bucket', 'failed', 300)]).toEqual([
      0, 1,
    ]);
  });

  it('keeps the driver and OS views of memory and browsers apart', () => {
    const h = new HistoryBuilder();
    h.start();
    h.emit('sample', { browsers: 2, pages: 2, memoryMB: 650 });
    h.emit('os.sample', {
      browsers: [
        { browser: 'b1', mainPid: 10, pids: [10, 11], pssMB: 200 },
        { browser: 'b2', pids: [], pssMB: 0 },
        { browser: 'b3', pids: [31], pssMB: 40 },
      ],
      processes: 3,
      pssMB: 240,
      reason: 'interval',
    });
    const metrics = fold(h);
    expect(metrics.memoryDriverBytes).toBe(650 * MIB);
    expect(metrics.memoryOsBytes).toBe(240 * MIB);
    expect(metrics.browsersOs).toBe(2); // b3 lost its main process but its child lives on
    expect(metrics.processesOs).toBe(3);
  });

  it('counts faults by kind and keeps windowed ones active until their end or their forMs', () => {
    const h = new HistoryBuilder();
    h.start();
    h.emit('fault.start', { fault: 'stall', id: 1, target: 'b1' });
    h.emit('fault.start', { fault: 'hang', id: 2, target: 'b1', forMs: 10_000 });
    h.emit('fault.start', { fault: 'slowClose', id: 3, target: 'b2', forMs: 5_000 });
    const metrics = fold(h);
    expect(metrics.faults.get('stall')).toBe(1);
    expect(metrics.faults.get('crash')).toBe(0);
    expect(Object.fromEntries(metrics.activeFaults())).toMatchObject({ stall: 0, hang: 1, slowClose: 1 });

    h.advance(6_000);
    metrics.event(h.emit('fault.end', { fault: 'hang', id: 2, target: 'b1' }));
    expect(Object.fromEntries(metrics.activeFaults())).toMatchObject({ hang: 0, slowClose: 0 });
  });

  it('counts violations by invariant, every invariant present from the start', () => {
    const metrics = new RunMetrics();
    expect(metrics.violations.get('single-release')).toBe(0);
    const violation = { invariant: 'single-release', message: 'twice', values: {}, seq: 3, t: 0, recent: [] } satisfies Violation;
    metrics.violation(violation);
    metrics.violation(violation);
    expect(metrics.violations.get('single-release')).toBe(2);
  });

  it('ends every fault window when the run ends', () => {
    const h = new HistoryBuilder();
    h.start();
    h.emit('fault.start', { fault: 'hang', id: 1, target: 'b1', forMs: 60_000 });
    h.emit('run.end', { reason: 'interrupted', jobsRunning: 0 });
    expect(fold(h).activeFaults().get('hang')).toBe(0);
  });
});
