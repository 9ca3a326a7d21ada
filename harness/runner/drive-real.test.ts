import { describe, expect, it } from 'vitest';
import { RealClock } from '../clock/real-clock.ts';
import { Recorder } from '../history/recorder.ts';
import { driveReal } from './drive-real.ts';

function setup() {
  const clock = new RealClock(1);
  const recorder = new Recorder(() => clock.now());
  const kinds: string[] = [];
  recorder.subscribe((event) => kinds.push(event.kind));
  return { clock, recorder, kinds };
}

describe('driveReal', () => {
  it('settles after the continuations an event woke have run, not in the middle of them', async () => {
    const { clock, recorder } = setup();
    const counterAtSettle: number[] = [];
    let counter = 0;
    const work = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      recorder.emit('pool.note', { message: 'launched' });
      // The pool's bookkeeping happens in the continuations after the event, in the same turn.
      await Promise.resolve();
      counter++;
      await Promise.resolve();
      counter++;
    })();
    const outcome = await driveReal(clock, recorder, {
      until: work,
      deadline: 10_000,
      settle: () => counterAtSettle.push(counter),
      interrupted: () => false,
    });
    expect(outcome).toBe('done');
    expect(counterAtSettle).not.toContain(1);
    expect(counterAtSettle.at(-1)).toBe(2);
  });

  it('stops at the deadline and when interrupted', async () => {
    const { clock, recorder } = setup();
    const never = new Promise(() => {});
    expect(await driveReal(clock, recorder, { until: never, deadline: 60, settle: () => {}, interrupted: () => false })).toBe('deadline');
    let stop = false;
    setTimeout(() => (stop = true), 30);
    expect(await driveReal(clock, recorder, { until: never, deadline: 60_000, settle: () => {}, interrupted: () => stop })).toBe(
      'interrupted',
    );
  });

  it('a settle that throws ends the drive with that error', async () => {
    const { clock, recorder } = setup();
    const never = new Promise(() => {});
    await expect(
      driveReal(clock, recorder, {
        until: never,
        deadline: 60_000,
        settle: () => {
          throw new Error('inspect() threw');
        },
        interrupted: () => false,
      }),
    ).rejects.toThrow('inspect() threw');
  });
});
