import { describe, expect, it } from 'vitest';
import { RealClock } from './real-clock.ts';

describe('RealClock', () => {
  it('reads and waits in scenario time: at 1/100, a 2 000 ms timer fires after ~20 real ms', async () => {
    const clock = new RealClock(0.01);
    const started = performance.now();
    const firedAt = await new Promise<number>((resolve) => clock.setTimeout(() => resolve(clock.now()), 2_000, 'x'));
    const realMs = performance.now() - started;
    expect(firedAt).toBeGreaterThanOrEqual(1_900);
    expect(realMs).toBeGreaterThanOrEqual(18);
    expect(realMs).toBeLessThan(1_000);
  });

  it('tracks pending timers by label and forgets cleared and fired ones', async () => {
    const clock = new RealClock(1);
    const a = clock.setTimeout(() => {}, 10_000, 'watchdog');
    clock.setTimeout(() => {}, 0, 'soon');
    expect(
      clock
        .pendingTimers()
        .map((timer) => timer.label)
        .sort(),
    ).toEqual(['soon', 'watchdog']);
    clock.clearTimeout(a);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('dispose() clears every timer so nothing keeps the process alive', () => {
    const clock = new RealClock(1);
    let fired = false;
    clock.setTimeout(() => (fired = true), 1, 'late');
    clock.dispose();
    expect(clock.pendingTimers()).toEqual([]);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        expect(fired).toBe(false);
        resolve();
      }, 10),
    );
  });

  it('rejects a scale outside (0, 1]', () => {
    expect(() => new RealClock(0)).toThrow(/timeScale/);
    expect(() => new RealClock(2)).toThrow(/timeScale/);
  });
});
