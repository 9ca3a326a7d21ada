import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { closedPoolIdle } from './closed-pool-idle.ts';

/** A job working on page b1/p1 when the pool is closed. */
function closedWhileWorking() {
  const b = new HistoryBuilder();
  b.start();
  b.jobStart('j1');
  b.open('newPage', 'b1', 'b1/p1', 'j1');
  b.emit(
    'job.work',
    { browser: 'b1', page: 'b1/p1' },
    { session: 'j1', at: 'examples/pools/shared/watchdog.ts:41:18 (workUnderWatchdog)' },
  );
  b.emit('pool.close', { by: 'fault' });
  return b;
}

describe('closed-pool-idle', () => {
  it('fires when close() returns while a job still works, and when that job then uses its page, naming the call site', () => {
    const b = closedWhileWorking();
    const closed = b.emit('pool.closed', { ok: true });
    b.emit('driver.call', { op: 'goto', target: 'b1/p1' }, { session: 'j1', at: 'harness/workload/review-job.ts:75:18' });
    b.emit('driver.call', { op: 'evaluate', target: 'b1/p1' }, { session: 'j1' }); // the same job again: reported once
    const violations = violationsOf(closedPoolIdle, b.events);
    expect(violations.map((v) => [v.message, v.session, v.seq, v.at])).toEqual([
      ['close() returned while j1 still works', 'j1', closed.seq, 'examples/pools/shared/watchdog.ts:41:18 (workUnderWatchdog)'],
    ]);
    // A job reported as still working is not reported again for what it does next; a job that was not is.
    const fresh = closedWhileWorking();
    fresh.jobWorkEnd('j1', false);
    fresh.emit('pool.closed', { ok: true });
    const late = fresh.emit('driver.call', { op: 'goto', target: 'b1/p1' }, { session: 'j1', at: 'harness/workload/review-job.ts:75:18' });
    expect(violationsOf(closedPoolIdle, fresh.events)).toMatchObject([
      {
        message: 'j1 called goto on b1/p1 after the pool closed',
        session: 'j1',
        seq: late.seq,
        at: 'harness/workload/review-job.ts:75:18',
      },
    ]);
  });

  it('fires when a job is handed a page, or the pool launches, after it closed', () => {
    const b = new HistoryBuilder();
    b.start();
    b.emit('pool.close', { by: 'run' });
    b.emit('pool.closed', { ok: true });
    b.launch('b2');
    b.jobStart('j2');
    b.jobWork('j2', 'b2');
    expect(violationsOf(closedPoolIdle, b.events).map((v) => [v.message, v.session])).toEqual([
      ['the pool called launch on b2 after the pool closed', undefined],
      ['j2 was handed a page after the pool closed', 'j2'],
    ]);
  });

  it('stays silent for a pool that stops its jobs before close() returns, and for closes after it', () => {
    const b = closedWhileWorking();
    b.jobWorkEnd('j1', false);
    b.close('b1');
    b.emit('pool.closed', { ok: true });
    b.close('b1'); // closing again is harmless
    b.jobEnd('j1', false);
    expect(violationsOf(closedPoolIdle, b.events)).toEqual([]);
  });
});
