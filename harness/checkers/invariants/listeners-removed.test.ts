import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { listenersRemoved } from './listeners-removed.ts';

/**
 * Jobs in turn on shared browser b1, which has one listener of the pool's own; each job adds one
 * of its own before its work begins and, when `removes`, takes it off before it ends.
 */
function jobsInTurn(jobs: string[], removes: (job: string) => boolean): HistoryBuilder {
  const b = new HistoryBuilder();
  let listeners = 1;
  for (const job of jobs) {
    b.jobStart(job);
    listeners++;
    b.jobWork(job, 'b1', undefined, listeners);
    b.jobWorkEnd(job);
    if (removes(job)) listeners--;
    b.jobEnd(job);
  }
  b.jobStart('last');
  b.jobWork('last', 'b1', undefined, listeners + 1);
  return b;
}

describe('listeners-removed', () => {
  it('holds when each job takes its listener off a shared browser, through its end', () => {
    const b = jobsInTurn(['j1', 'j2', 'j3'], () => true);
    b.handled('b1', 2);
    expect(violationsOf(listenersRemoved, b.events)).toEqual([]);
  });

  it('fires once, at the next job, when a job leaves its listener behind, naming that job', () => {
    const b = jobsInTurn(['j1', 'j2', 'j3'], (job) => job !== 'j2');
    const handled = b.handled('b1', 4);
    const [violation, ...rest] = violationsOf(listenersRemoved, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'listeners-removed',
      message: '1 listener left on b1 by jobs that ended (last: j2)',
      values: { browser: 'b1', listeners: 3, working: 1, base: 1 },
      session: 'j2',
    });
    expect(violation!.seq).toBeLessThan(handled.seq);
    expect(violation!.recent.at(-1)).toMatchObject({ kind: 'job.end', session: 'j2' });
  });

  it('allows for jobs being acquired for, which may have registered their listener already', () => {
    const b = new HistoryBuilder();
    b.jobStart('j1');
    b.jobWork('j1', 'b1', undefined, 2);
    b.jobStart('j2'); // registers its listener, then waits for its page
    b.handled('b1', 3);
    expect(violationsOf(listenersRemoved, b.events)).toEqual([]);
  });

  it('counts the listeners still on a browser when it goes down against the jobs still on it', () => {
    const b = new HistoryBuilder();
    for (const job of ['j1', 'j2']) {
      b.jobStart(job);
      b.jobWork(job, 'b1', undefined, job === 'j1' ? 2 : 3);
    }
    b.jobEnd('j1');
    const handled = b.handled('b1', 3);
    const [violation] = violationsOf(listenersRemoved, b.events);
    expect(violation).toMatchObject({ message: '1 listener left on b1 by jobs that ended (last: j1)', seq: handled.seq, session: 'j1' });
  });
});
