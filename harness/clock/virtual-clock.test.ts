import { describe, expect, it } from 'vitest';
import { ownedClock, sleep } from './clock.ts';
import { VirtualClock } from './virtual-clock.ts';

describe('VirtualClock', () => {
  it('fires timers in time order, ties in creation order, and jumps time to each', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 50);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 50);
    while (clock.fireNext());
    expect(fired).toEqual(['a@10', 'b@50', 'c@50']);
    expect(clock.now()).toBe(50);
  });

  it('never fires a cleared timer and forgets it', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const id = clock.setTimeout(() => fired.push(1), 10, 'doomed');
    clock.setTimeout(() => fired.push(2), 20);
    clock.clearTimeout(id);
    expect(clock.pendingTimers().map((t) => t.label)).toEqual(['timer']);
    expect(clock.nextTime()).toBe(20);
    while (clock.fireNext());
    expect(fired).toEqual([2]);
  });

  it('keeps many timers ordered (heap)', () => {
    const clock = new VirtualClock();
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    const fired: number[] = [];
    for (const t of times) clock.setTimeout(() => fired.push(clock.now()), t);
    while (clock.fireNext());
    expect(fired).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('ownedClock', () => {
  it('tracks its own pending timers and reports firings', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    const pool = ownedClock(clock, (label) => fired.push(label));
    clock.setTimeout(() => {}, 5, 'driver');
    const watchdog = pool.setTimeout(() => {}, 10, 'watchdog');
    pool.setTimeout(() => {}, 20, 'sweep');
    pool.clearTimeout(watchdog);
    expect(pool.pendingTimers().map((t) => t.label)).toEqual(['sweep']);
    while (clock.fireNext());
    expect(fired).toEqual(['sweep']);
    expect(pool.pendingTimers()).toEqual([]);
  });
});

describe('sleep', () => {
  it('resolves after the time and rejects with the reason on abort, clearing its timer', async () => {
    const clock = new VirtualClock();
    const done = sleep(clock, 100);
    clock.fireNext();
    await expect(done).resolves.toBeUndefined();
    const controller = new AbortController();
    const aborted = sleep(clock, 100, controller.signal);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(clock.pendingTimers()).toEqual([]);
  });
});
