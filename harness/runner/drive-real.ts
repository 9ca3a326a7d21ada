import type { Clock } from '../clock/clock.ts';
import type { Recorder } from '../history/recorder.ts';
import type { DriveOptions, DriveOutcome } from './drive-virtual.ts';

/** How often the loop looks at the interrupt flag and the deadline. */
const POLL_MS = 50;

/**
 * Runs a scenario in real time. Timers fire on their own; what the loop adds is the settled
 * points: after any event, once the continuations it woke have run (`setImmediate` runs after the
 * microtask queue and the I/O callbacks of this turn), the state is recorded for the checkers.
 */
export async function driveReal(clock: Clock, recorder: Recorder, options: DriveOptions): Promise<DriveOutcome> {
  let failure: unknown;
  let scheduled = false;
  let resolveDrive: (outcome: DriveOutcome) => void = () => {};
  const settleSoon = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      try {
        options.settle();
      } catch (error) {
        // inspect() threw: the run cannot be judged any further.
        failure ??= error;
        resolveDrive('done');
      }
    });
  };
  const unsubscribe = recorder.subscribe(settleSoon);
  settleSoon();
  let poll: NodeJS.Timeout | undefined;
  try {
    const outcome = await new Promise<DriveOutcome>((resolve) => {
      resolveDrive = resolve;
      options.until.then(
        () => resolve('done'),
        () => resolve('done'),
      );
      poll = setInterval(() => {
        if (options.interrupted()) resolve('interrupted');
        else if (clock.now() > options.deadline) resolve('deadline');
      }, POLL_MS);
    });
    // One last settled point, so the state at the end is recorded too.
    await new Promise((resolve) => setImmediate(resolve));
    if (failure === undefined) options.settle();
    if (failure !== undefined) throw failure;
    return outcome;
  } finally {
    clearInterval(poll);
    unsubscribe();
  }
}
