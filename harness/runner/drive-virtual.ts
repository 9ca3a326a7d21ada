import { drainMicrotasks, type VirtualClock } from '../clock/virtual-clock.ts';

export type DriveOutcome = 'done' | 'deadline' | 'stuck' | 'interrupted';

export interface DriveOptions {
  /** Drive until this settles. */
  until: Promise<unknown>;
  /** Virtual time past which the run is given up on. */
  deadline: number;
  /** Called at every settled point: nothing left to run but timers and stalled calls. */
  settle: () => void;
  interrupted: () => boolean;
}

/**
 * Runs the simulation: let every continuation run, record the settled state, fire the next
 * timer, again. Time jumps from timer to timer, so an hour of waiting costs nothing.
 */
export async function driveVirtual(clock: VirtualClock, options: DriveOptions): Promise<DriveOutcome> {
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
    clock.fireNext();
  }
}
