import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { workCancelled } from './work-cancelled.ts';

describe('work-cancelled', () => {
  it('fires when a job ends while its work still runs', () => {
    const b = new HistoryBuilder();
    b.jobStart('j7');
    const work = b.jobWork('j7', 'b1');
    const watchdog = b.advance(300_000).watchdog('j7', 300_000, 'legacy-pool.ts:82:9 (getReviews)');
    const end = b.jobEnd('j7', false);
    const [violation, ...rest] = violationsOf(workCancelled, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'work-cancelled',
      message: 'job j7 ended while its work still runs',
      values: { job: 'j7', workRunning: 1, watchdog: 'fired' },
      seq: end.seq,
      t: 300_000,
      session: 'j7',
      at: 'legacy-pool.ts:82:9 (getReviews)',
    });
    expect(violation!.recent).toEqual([b.events[0], work, watchdog, end]);
  });

  it('stays silent when the work stopped before the job ended', () => {
    const b = new HistoryBuilder();
    b.jobStart('j1');
    b.jobWork('j1', 'b1');
    b.watchdog('j1');
    b.jobWorkEnd('j1', false);
    b.jobEnd('j1', false);
    b.jobStart('j2');
    b.jobEnd('j2', false); // never got a page: no work to cancel
    expect(violationsOf(workCancelled, b.events)).toEqual([]);
  });
});
