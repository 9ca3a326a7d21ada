import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { lockOwnership } from './lock-ownership.ts';

describe('lock-ownership', () => {
  it('fires once when a lock outlives its session', () => {
    const b = new HistoryBuilder();
    const attach = b.lock('j12', 'attach', 1, 'lock-registry.ts:25:5 (attach)');
    b.settle({ sessions: ['j12'], locks: [{ session: 'j12', holders: 1 }] });
    const settle = b.settle({ sessions: [] });
    for (let i = 0; i < 4; i++) b.settle({ counter: i });
    const [violation, ...rest] = violationsOf(lockOwnership, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'lock-ownership',
      message: 'lock of j12 outlives its session (orphan)',
      values: { session: 'j12', holders: 1, locks: 1, sessions: 0 },
      seq: settle.seq,
      session: 'j12',
      at: 'lock-registry.ts:25:5 (attach)',
    });
    expect(violation!.recent).toContain(attach);
  });

  it('fires when a lock has more than one holder', () => {
    const b = new HistoryBuilder();
    b.lock('j12', 'attach', 1);
    const second = b.lock('j12', 'attach', 2, 'lock-registry.ts:25:5 (attach)');
    b.settle({ sessions: ['j12'], locks: [{ session: 'j12', holders: 2 }] });
    const [violation, ...rest] = violationsOf(lockOwnership, b.events);
    expect(rest).toEqual([]);
    expect(violation?.message).toBe('lock of j12 has 2 holders');
    expect(violation?.at).toBe('lock-registry.ts:25:5 (attach)');
    expect(violation?.recent).toContain(second);
  });

  it('reports each bad lock on its own', () => {
    const b = new HistoryBuilder();
    b.settle({
      sessions: ['j2'],
      locks: [
        { session: 'j1', holders: 1 },
        { session: 'j2', holders: 3 },
        { session: 'j3', holders: 1 },
      ],
    });
    expect(violationsOf(lockOwnership, b.events).map((v) => v.message)).toEqual([
      'lock of j1 outlives its session (orphan)',
      'lock of j2 has 3 holders',
      'lock of j3 outlives its session (orphan)',
    ]);
  });

  it('reports a lock again when it turns bad after being good', () => {
    const b = new HistoryBuilder();
    b.settle({ sessions: [], locks: [{ session: 'j1', holders: 1 }] });
    b.settle({ locks: [] }); // swept
    b.settle({ locks: [{ session: 'j1', holders: 1 }] });
    expect(violationsOf(lockOwnership, b.events)).toHaveLength(2);
  });

  it('stays silent while every lock belongs to a live session and has one holder', () => {
    const b = new HistoryBuilder();
    b.lock('j1', 'attach', 1);
    b.settle({ sessions: ['j1'], locks: [{ session: 'j1', holders: 1 }] });
    b.settle({
      sessions: ['j1', 'j2'],
      locks: [
        { session: 'j1', holders: 1 },
        { session: 'j2', holders: 1 },
      ],
    });
    b.lock('j1', 'release', 0);
    b.settle({ sessions: ['j2'], locks: [{ session: 'j2', holders: 1 }] });
    b.settle({ sessions: [], locks: [] });
    expect(violationsOf(lockOwnership, b.events)).toEqual([]);
  });
  it('while orphans stay, reports only the new ones, and one that went and came back', () => {
    const b = new HistoryBuilder();
    const lock = (session: string) => ({ session, holders: 1 });
    b.settle({ sessions: ['j3'], locks: [lock('j1'), lock('j2'), lock('j3')] });
    b.settle({ sessions: ['j3', 'j4'], locks: [lock('j1'), lock('j2'), lock('j3'), lock('j4')] }); // same orphans
    b.settle({ sessions: ['j4'], locks: [lock('j1'), lock('j2'), lock('j4')] }); // j3 gone with its lock
    b.settle({ locks: [lock('j1'), lock('j4')] }); // j2's lock swept
    b.settle({ locks: [lock('j1'), lock('j4'), lock('j5')] }); // a new orphan
    b.settle({ locks: [lock('j1'), lock('j4'), lock('j5'), lock('j2')] }); // j2's lock back: an orphan again
    expect(violationsOf(lockOwnership, b.events).map((v) => v.message)).toEqual([
      'lock of j1 outlives its session (orphan)',
      'lock of j2 outlives its session (orphan)',
      'lock of j5 outlives its session (orphan)',
      'lock of j2 outlives its session (orphan)',
    ]);
  });

  it('is not fooled by an orphan listed twice when another orphan leaves', () => {
    const b = new HistoryBuilder();
    const lock = (session: string) => ({ session, holders: 1 });
    b.settle({ sessions: [], locks: [lock('j1'), lock('j2')] });
    b.settle({ locks: [lock('j1'), lock('j1')] }); // as many entries, but j2 is no longer an orphan
    b.settle({ locks: [lock('j1'), lock('j2')] }); // j2's lock back: an orphan again
    expect(violationsOf(lockOwnership, b.events).map((v) => v.message)).toEqual([
      'lock of j1 outlives its session (orphan)',
      'lock of j2 outlives its session (orphan)',
      'lock of j2 outlives its session (orphan)',
    ]);
  });
});
