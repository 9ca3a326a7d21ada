import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { lockHeldBySession } from './lock-held-by-session.ts';

/** j1 and j2 each hold their lock and work. */
function twoHolders(): HistoryBuilder {
  const b = new HistoryBuilder();
  for (const job of ['j1', 'j2']) {
    b.jobStart(job);
    b.lock(job, 'attach', 1, `pool.ts:30:5 (lock) ${job}`);
    b.jobWork(job, 'b1');
  }
  b.settle({
    sessions: ['j1', 'j2'],
    locks: [
      { session: 'j1', holders: 1 },
      { session: 'j2', holders: 1 },
    ],
  });
  return b;
}

describe('lock-held-by-session', () => {
  it('holds when each session releases its own lock, then ends', () => {
    const b = twoHolders();
    b.jobWorkEnd('j1');
    b.lock('j1', 'release', 0);
    b.settle({ sessions: ['j2'], locks: [{ session: 'j2', holders: 1 }] });
    b.jobEnd('j1');
    b.emit('pool.sweep', { swept: 1, locks: 1, activeOps: 1, removed: ['j1'] });
    expect(violationsOf(lockHeldBySession, b.events)).toEqual([]);
  });

  it('names the previous holder whose late release took the lock of the session now working', () => {
    const b = twoHolders();
    const release = b.lock('j2', 'release', 0, 'pool.ts:48:7 (finally)', 'j1');
    const [violation, ...rest] = violationsOf(lockHeldBySession, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'lock-held-by-session',
      message: 'lock of j2 released by j1 while j2 holds it',
      values: { session: 'j2' },
      seq: release.seq,
      session: 'j1',
      at: 'pool.ts:48:7 (finally)',
    });
  });

  it('names the sweep when it deletes the lock of a session that has not ended', () => {
    const b = twoHolders();
    const sweep = b.emit('pool.sweep', { swept: 1, locks: 2, activeOps: 0, removed: ['j2'] }, { at: 'pool.ts:90:3 (sweep)' });
    const [violation] = violationsOf(lockHeldBySession, b.events);
    expect(violation).toMatchObject({
      message: 'lock of j2 removed by the sweep while j2 holds it',
      seq: sweep.seq,
      session: 'j2',
      at: 'pool.ts:90:3 (sweep)',
    });
  });

  it('fires when a lock silently leaves the pool’s snapshot while its session holds it', () => {
    const b = twoHolders();
    const settle = b.settle({ locks: [{ session: 'j2', holders: 1 }] });
    const [violation, ...rest] = violationsOf(lockHeldBySession, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      message: 'lock of j1 lost while j1 holds it',
      seq: settle.seq,
      session: 'j1',
      at: 'pool.ts:30:5 (lock) j1',
    });
  });

  it('finds a lock taken but never listed, at the next settle that changes the locks', () => {
    const b = twoHolders();
    b.jobStart('j3');
    b.lock('j3', 'attach', 1, 'pool.ts:30:5 (lock) j3');
    b.settle({ sessions: ['j1', 'j2', 'j3'] }); // the locks unchanged: not judged yet
    const settle = b.settle({
      locks: [
        { session: 'j1', holders: 1 },
        { session: 'j2', holders: 2 },
      ],
    });
    const [violation, ...rest] = violationsOf(lockHeldBySession, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({ message: 'lock of j3 lost while j3 holds it', seq: settle.seq, session: 'j3' });
  });

  it('reports locks lost at one settle in the order they were taken', () => {
    const b = twoHolders();
    b.settle({ locks: [] });
    expect(violationsOf(lockHeldBySession, b.events).map((v) => v.message)).toEqual([
      'lock of j1 lost while j1 holds it',
      'lock of j2 lost while j2 holds it',
    ]);
  });
});
