import { describe, expect, it } from 'vitest';
import type { AnyEvent } from './events.ts';
import { Recorder } from './recorder.ts';

function recorded() {
  let now = 0;
  const recorder = new Recorder(() => now);
  const events: AnyEvent[] = [];
  recorder.subscribe((e) => events.push(e));
  return { recorder, events, setNow: (t: number) => (now = t) };
}

describe('Recorder', () => {
  it('stamps seq and virtual time, and attributes browser events to the session working in it', () => {
    const { recorder, events, setNow } = recorded();
    recorder.emit('browser.up', { browser: 'b1', memoryMB: 300 }, { browser: 'b1' });
    recorder.emit('job.work', { browser: 'b1' }, { session: 'j1' });
    setNow(250);
    recorder.emit('driver.call', { op: 'goto', target: 'b1/p2' }, { browser: 'b1', at: 'x.ts:1:1' });
    expect(events.map((e) => [e.seq, e.t, e.kind, e.session])).toEqual([
      [0, 0, 'browser.up', undefined],
      [1, 0, 'job.work', 'j1'],
      [2, 250, 'driver.call', 'j1'],
    ]);
    expect(events[2]!.at).toBe('x.ts:1:1');
    expect(events.every((e) => typeof e.wall === 'number')).toBe(true);
  });

  it('records at a settled point only what changed, and nothing when nothing happened', () => {
    const { recorder, events } = recorded();
    const lock = { session: 'j1', holders: 1 };
    recorder.settle({ counter: 1, sessions: ['j1'], locks: [lock] });
    recorder.settle({ counter: 1, sessions: ['j1'], locks: [lock] }); // nothing happened since
    recorder.emit('pool.note', { message: 'tick' });
    recorder.settle({ counter: 2, sessions: ['j1'], locks: [{ session: 'j1', holders: 1 }] });
    recorder.emit('pool.note', { message: 'tick' });
    recorder.settle({ counter: 2, sessions: ['j1', 'j2'], locks: [] });
    const settles = events.filter((e) => e.kind === 'settle').map((e) => e.data);
    expect(settles).toEqual([{ counter: 1, sessions: ['j1'], locks: [lock] }, { counter: 2 }, { sessions: ['j1', 'j2'], locks: [] }]);
  });

  it('records what the counter counts once, when a pool says it counts other than browsers', () => {
    const { recorder, events } = recorded();
    recorder.settle({ counter: 0, counts: 'pages', sessions: [], locks: [] });
    recorder.emit('pool.note', { message: 'tick' });
    recorder.settle({ counter: 1, counts: 'pages', sessions: ['j1'], locks: [] });
    const settles = events.filter((e) => e.kind === 'settle').map((e) => e.data);
    expect(settles).toEqual([
      { counter: 0, counts: 'pages', sessions: [], locks: [] },
      { counter: 1, sessions: ['j1'] },
    ]);
  });

  it('copies the snapshot, so a pool mutating its arrays later does not rewrite history', () => {
    const { recorder, events } = recorded();
    const sessions = ['j1'];
    recorder.settle({ counter: 1, sessions, locks: [] });
    sessions.push('j2');
    expect(events[0]!.data).toEqual({ counter: 1, sessions: ['j1'], locks: [] });
  });

  it('records no settle after mere page traffic, but does when the ground truth moved', () => {
    const { recorder, events } = recorded();
    const snapshot = { counter: 1, sessions: ['j1'], locks: [] };
    recorder.settle(snapshot);
    recorder.emit('driver.call', { op: 'goto', target: 'b1/p2', url: 'http://127.0.0.1:0/' }, { browser: 'b1' });
    expect(recorder.needsSnapshot).toBe(true);
    recorder.settle(snapshot);
    expect(recorder.needsSnapshot).toBe(false);
    recorder.emit('browser.down', { browser: 'b1', cause: 'crash' }, { browser: 'b1' });
    recorder.settle(snapshot);
    expect(events.filter((e) => e.kind === 'settle').map((e) => e.data)).toEqual([{ counter: 1, sessions: ['j1'], locks: [] }, {}]);
  });

  it('does not call a listener with page traffic it does not want, until it wants it', () => {
    const { recorder, events } = recorded();
    const wants = { pageTraffic: false };
    const seen: string[] = [];
    recorder.subscribe((e) => seen.push(e.kind === 'driver.call' ? e.data.op : e.kind), wants);
    recorder.emit('driver.call', { op: 'newPage', target: 'b1/c1' }, { browser: 'b1' });
    recorder.emit('driver.call', { op: 'goto', target: 'b1/p1', url: 'http://127.0.0.1:0/' }, { browser: 'b1' });
    recorder.emit('driver.call', { op: 'evaluate', target: 'b1/p1' }, { browser: 'b1' });
    recorder.emit('pool.closed', { ok: true });
    wants.pageTraffic = true;
    recorder.emit('driver.call', { op: 'goto', target: 'b1/p1', url: 'http://127.0.0.1:0/' }, { browser: 'b1' });
    expect(seen).toEqual(['newPage', 'pool.closed', 'goto']);
    // A listener that says nothing gets every event, in the same order.
    expect(events.map((e) => (e.kind === 'driver.call' ? e.data.op : e.kind))).toEqual([
      'newPage',
      'goto',
      'evaluate',
      'pool.closed',
      'goto',
    ]);
  });
});
