import { drainMicrotasks, type VirtualClock } from '../clock/virtual-clock.ts';

export type DriveOutcome = 'done' | 'deadline' | 'stuck' | 'interrupted';

export interface DriveOptions {
  /** Drive until this settles. */
  until: Promise<unknown>;
  /** Scenario time past which the run is given up on. */
  deadline: number;
  /** Called at every settled point: nothing left to run but timers and stalled calls. */
  settle: () => void;
  interrupted: () => boolean;
}

/**
 * Runs the simulation: let every continuation run, record the settled state, fire the next
 * timer, again. Time jumps from timer to timer, so an hour of waiting costs nothing, unless
 * `pace` holds each timer back until the real clock has caught up (for watching a run live).
 */
export async function driveVirtual(clock: VirtualClock, options: DriveOptions & { pace?: Pace }): Promise<DriveOutcome> {
  let finished = false;
  options.until.then(
    () => (finished = true),
    () => (finished = true),
  );
  for (;;) {
    await drainMicrotasks();
    options.settle();
    if (finished) return 'done';
    if (options.interrupted()) return 'interrupted';
    const next = clock.nextTime();
    // No timer left and still not done: everything waits on calls that will never return.
    if (next === undefined) return 'stuck';
    if (next > options.deadline) return 'deadline';
    if (options.pace && (await options.pace.until(next, options.interrupted)) === 'interrupted') return 'interrupted';
    clock.fireNext();
  }
}

/** Plays virtual time at `scenarioMsPerRealMs` the speed of the real clock, from when it is made. */
export interface Pace {
  until(scenarioMs: number, interrupted: () => boolean): Promise<'ok' | 'interrupted'>;
}

export function pace(scenarioMsPerRealMs: number): Pace {
  if (!(scenarioMsPerRealMs > 0)) throw new RangeError(`pace must be positive, got ${scenarioMsPerRealMs}`);
  const origin = performance.now();
  return {
    async until(scenarioMs, interrupted) {
      // Waits in short steps so an interrupt is seen promptly even when the next timer is far off.
      for (;;) {
        if (interrupted()) return 'interrupted';
        const wait = origin + scenarioMs / scenarioMsPerRealMs - performance.now();
        if (wait <= 0) return 'ok';
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 100)));
      }
    },
  };
}
