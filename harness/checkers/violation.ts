import type { AnyEvent } from '../history/events.ts';

/** Names of the invariants Tally checks. */
export type InvariantName =
  | 'counter-matches-sessions'
  | 'counter-within-bounds'
  | 'counter-matches-browsers'
  | 'lock-ownership'
  | 'single-release'
  | 'work-cancelled'
  | 'quiescence'
  | 'budget';

/**
 * One broken invariant, with the context the story's log line lacked: the values, the event
 * that broke it, the session's recent events and the call site of the change that caused it.
 */
export interface Violation {
  invariant: InvariantName;
  /** One line, like `counter(3) < sessions(4)`. */
  message: string;
  /** The numbers the invariant compared. */
  values: Record<string, number | string | string[]>;
  /** The event at which the invariant was seen broken. */
  seq: number;
  t: number;
  session?: string;
  /** Call site (`file:line:col (function)`) of the change that caused it, when known. */
  at?: string;
  /** The last events of the session concerned (or of the run, when no session is), oldest first. */
  recent: AnyEvent[];
}

/**
 * A checker is a pure function of its state and one event: no I/O, no clock, no globals. It is run
 * online on every event, and again offline on a saved history, with the same result.
 */
export interface Checker<State> {
  readonly name: string;
  init(): State;
  /** Fold `event` into `state` (in place) and return the violations it reveals. */
  step(state: State, event: AnyEvent): Violation[];
}
