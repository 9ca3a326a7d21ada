import type { Violation } from '../checkers/violation.ts';
import type { AnyEvent } from '../history/events.ts';
import type { ListenerWants } from '../history/recorder.ts';

/**
 * Something that follows a run from outside it: telemetry (traces, metrics), progress, benches.
 * It sees what the report sees, in the same order, and nothing else: the history and the
 * violations the online checkers find in it.
 */
export interface RunObserver {
  /** Every event, in order, as it is recorded (but page traffic, if `wants` says so). */
  event?(event: AnyEvent): void;
  /** What it needs of the events: an observer that passes page traffic over is not called with it. */
  readonly wants?: ListenerWants;
  /** Every violation, as it is found (just after the event that revealed it). */
  violation?(violation: Violation): void;
  /** The run is over and `run.end` recorded: flush, write files into `outDir`. Errors are the run's errors. */
  close?(outDir: string): Promise<void> | void;
}
