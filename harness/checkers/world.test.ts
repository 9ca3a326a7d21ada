import { describe, expect, it } from 'vitest';
import type { AnyEvent } from '../history/events.ts';
import { HistoryBuilder } from './testing/history-builder.ts';
import { browsersInFlight, createWorld, ENDED_SESSIONS_KEPT, foldEvent, type World } from './world.ts';

function fold(b: HistoryBuilder): World {
  const world = createWorld();
  for (const event of b.events) foldEvent(world, event);
  return world;
}

describe('world: pool bookkeeping', () => {
  it('starts empty', () => {
    const world = createWorld();
    expect(world.counter).toBe(0);
    expect(world.sessions).toEqual([]);
    expect(world.locks).toEqual([]);
    expect(world.maxBrowsers).toBeUndefined();
  });

  it('takes a field absent from a settle as unchanged', () => {
    const b = new HistoryBuilder();
    b.settle({ counter: 2, sessions: ['j1', 'j2'], locks: [{ session: 'j1', holders: 1 }] });
    b.settle({ counter: 1 });
    const world = fold(b);
    expect(world.counter).toBe(1);
    expect(world.sessions).toEqual(['j1', 'j2']);
    expect([...world.sessionSet]).toEqual(['j1', 'j2']);
    expect(world.locks).toEqual([{ session: 'j1', holders: 1 }]);
    b.settle({ sessions: ['j2'], locks: [] });
    const later = fold(b);
    expect(later.counter).toBe(1);
    expect(later.sessionSet.has('j1')).toBe(false);
    expect(later.locks).toEqual([]);
  });

  it('keeps the set of sessions holding a lock equal to the locks listed, one listed twice included', () => {
    const b = new HistoryBuilder();
    const lock = (session: string, holders = 1) => ({ session, holders });
    const sets: string[][] = [];
    for (const locks of [[lock('j1'), lock('j2')], [lock('j1'), lock('j2', 2)], [lock('j2'), lock('j2')], [lock('j2')], [lock('j3')], []]) {
      b.settle({ locks });
      const world = fold(b);
      sets.push(['j1', 'j2', 'j3'].filter((session) => world.lockSessions.has(session)));
      expect(world.lockSessions.size).toBe(sets.at(-1)!.length);
    }
    expect(sets).toEqual([['j1', 'j2'], ['j1', 'j2'], ['j2'], ['j2'], ['j3'], []]);
  });

  it('keeps the orphan locks equal to the locks of sessions the pool no longer lists, under random settles', () => {
    let seed = 7;
    const roll = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(list: readonly T[]) => list[Math.floor(roll() * list.length)]!;
    const b = new HistoryBuilder();
    const world = createWorld();
    let sessions: string[] = [];
    let locks: string[] = [];
    let id = 0;
    for (let step = 0; step < 3000; step++) {
      const r = roll();
      if (r < 0.3) sessions = [...sessions, `j${++id}`];
      else if (r < 0.5 && sessions.length > 0) sessions = sessions.filter((s) => s !== pick(sessions));
      else if (r < 0.7 && sessions.length > 0) locks = [...locks, pick(sessions)];
      else if (r < 0.85 && locks.length > 0) locks = locks.filter((_, i) => i !== Math.floor(roll() * locks.length));
      else if (r < 0.9) locks = locks.filter(() => roll() < 0.5);
      else sessions = sessions.filter(() => roll() < 0.7);
      const before = new Set(locks.filter((s) => world.lockOrphans.has(s)));
      foldEvent(world, b.settle({ sessions, locks: locks.map((session) => ({ session, holders: 1 })) }));
      const orphans = new Set(locks.filter((s) => !sessions.includes(s)));
      expect(new Set(locks.filter((s) => world.lockOrphans.has(s)))).toEqual(orphans);
      expect(world.lockOrphans.size).toBe(orphans.size);
      expect(new Set(world.lockOrphans.appeared)).toEqual(new Set([...orphans].filter((s) => !before.has(s))));
    }
  });

  it('reads maxBrowsers from the pool config, when there is one', () => {
    const b = new HistoryBuilder();
    b.start({ maxBrowsers: 7 });
    expect(fold(b).maxBrowsers).toBe(7);
    const without = new HistoryBuilder();
    without.start({ watchdogMs: 1000 });
    expect(fold(without).maxBrowsers).toBeUndefined();
  });
});

describe('world: ground truth from the driver', () => {
  it('counts launches until their own call returns', () => {
    const b = new HistoryBuilder();
    b.launch('b1');
    b.launch('b2');
    expect(fold(b).launching).toBe(2);
    b.launched('b2');
    const world = fold(b);
    expect(world.launching).toBe(1);
    expect([...world.alive]).toEqual(['b2']);
    b.launchFailed('b1');
    expect(fold(b).launching).toBe(0);
  });

  it('ignores a return whose call it never saw', () => {
    const b = new HistoryBuilder();
    b.returns('launch', 'b9', 1234);
    expect(fold(b).launching).toBe(0);
  });

  it('counts an alive browser as closing while a close of the whole browser is pending', () => {
    const b = new HistoryBuilder();
    b.launch('b1');
    b.launched('b1');
    b.close('b1/c1');
    expect(fold(b).closing.size).toBe(0);
    b.close('b1');
    expect([...fold(b).closing]).toEqual(['b1']);
    b.closed('b1');
    const world = fold(b);
    expect(world.closing.size).toBe(0);
    expect(world.alive.size).toBe(0);
  });

  it('keeps a closing browser in flight after it is down, until its close returns', () => {
    const b = new HistoryBuilder();
    b.up('b1');
    const close = b.close('b1');
    b.down('b1', 'close');
    expect([...fold(b).closing]).toEqual(['b1']);
    expect(browsersInFlight(fold(b))).toBe(1);
    b.returns('close', 'b1', close.seq);
    expect(browsersInFlight(fold(b))).toBe(0);
  });

  it('keeps a crashed browser in flight until its disconnect is handled, and while a close of it is pending', () => {
    const b = new HistoryBuilder();
    b.up('b1');
    b.down('b1', 'crash', undefined, false);
    expect(browsersInFlight(fold(b))).toBe(1);
    const close = b.close('b1');
    b.handled('b1');
    expect(browsersInFlight(fold(b))).toBe(1);
    b.returns('close', 'b1', close.seq);
    expect(browsersInFlight(fold(b))).toBe(0);
  });

  it('keeps a browser closing until the last of two closes returns', () => {
    const b = new HistoryBuilder();
    b.up('b1');
    const first = b.emit('driver.call', { op: 'close', target: 'b1' });
    const second = b.emit('driver.call', { op: 'close', target: 'b1' });
    b.returns('close', 'b1', first.seq);
    expect([...fold(b).closing]).toEqual(['b1']);
    b.returns('close', 'b1', second.seq);
    expect(fold(b).closing.size).toBe(0);
  });

  it('counts pages and contexts being opened or closed', () => {
    const b = new HistoryBuilder();
    b.up('b1');
    const context = b.emit('driver.call', { op: 'newContext', target: 'b1' });
    const page = b.emit('driver.call', { op: 'newPage', target: 'b1/c1' });
    const closePage = b.close('b1/p1');
    b.emit('driver.call', { op: 'goto', target: 'b1/p1', url: 'http://x/' });
    expect(fold(b)).toMatchObject({ opening: 2, closingParts: 1, launching: 0 });
    expect(fold(b).closing.size).toBe(0);
    b.returns('newContext', 'b1', context.seq);
    b.returns('newPage', 'b1/c1', page.seq);
    b.returns('close', 'b1/p1', closePage.seq);
    expect(fold(b)).toMatchObject({ opening: 0, closingParts: 0 });
  });

  it('counts a close of a browser that is already gone: its outcome is not yet known to the pool', () => {
    const b = new HistoryBuilder();
    b.close('b3');
    expect([...fold(b).closing]).toEqual(['b3']);
  });
});

describe('world: jobs, counter history, recent events', () => {
  it('tracks whether a job’s work runs and whether the job ended', () => {
    const b = new HistoryBuilder();
    b.jobStart('j1');
    b.jobWork('j1', 'b1');
    expect(fold(b).perSession.get('j1')).toMatchObject({ workRunning: 1, ended: false });
    b.jobWorkEnd('j1');
    b.jobEnd('j1');
    expect(fold(b).perSession.get('j1')).toMatchObject({ workRunning: 0, ended: true });
  });

  it('keeps each session’s counter changes and the latest change overall', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch');
    const increment = b.counter('j2', 1, 'launch');
    b.counter('j1', -1, 'watchdog');
    const last = b.counter('j1', -1, 'finally', 'legacy-pool.ts:120:5 (closeSession)');
    const world = fold(b);
    expect(world.perSession.get('j1')).toMatchObject({ increments: 1, decrements: 2, decrementPaths: ['watchdog', 'finally'] });
    expect(world.perSession.get('j2')).toMatchObject({ increments: 1, decrements: 0, decrementPaths: [] });
    expect(world.lastCounterEvent).toBe(last);
    expect(world.lastDecrement).toBe(last);
    expect(world.lastIncrement).toBe(increment);
  });

  it('keeps the last events per session and for the run', () => {
    const b = new HistoryBuilder();
    const mine: AnyEvent[] = [];
    for (let i = 0; i < 20; i++) {
      mine.push(b.jobStart('j1'));
      b.timer('runner', `tick${i}`);
    }
    const world = fold(b);
    expect(world.recent.last(12, 'j1')).toEqual(mine.slice(-12));
    expect(world.recent.last(12)).toEqual(b.events.slice(-12));
  });
});

describe('world: bounded memory', () => {
  it('forgets a long-ended session only once nothing about it is left open', () => {
    const b = new HistoryBuilder();
    for (const job of ['clean', 'leaky', 'running']) {
      b.jobStart(job);
      b.counter(job, 1, 'launch');
      b.jobWork(job, 'b1');
    }
    b.counter('clean', -1, 'finally');
    b.jobWorkEnd('clean');
    b.jobWorkEnd('leaky');
    for (const job of ['clean', 'leaky', 'running']) b.jobEnd(job);
    for (let i = 0; i < ENDED_SESSIONS_KEPT; i++) b.jobEnd(`filler${i}`);
    const world = fold(b);
    expect(world.perSession.has('clean')).toBe(false);
    expect(world.perSession.has('leaky')).toBe(true);
    expect(world.perSession.has('running')).toBe(true);
    expect(world.perSession.has(`filler${ENDED_SESSIONS_KEPT - 1}`)).toBe(true);
  });

  it('keeps an ended session the pool still lists', () => {
    const b = new HistoryBuilder();
    b.jobEnd('listed');
    b.settle({ sessions: ['listed'] });
    for (let i = 0; i < ENDED_SESSIONS_KEPT; i++) b.jobEnd(`filler${i}`);
    expect(fold(b).perSession.has('listed')).toBe(true);
  });
});
