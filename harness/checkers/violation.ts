import type { AnyEvent } from '../history/events.ts';

/** The invariants Tally checks, in the order reports list them. */
export const INVARIANT_NAMES = [
  'counter-matches-sessions',
  'counter-within-bounds',
  'counter-matches-browsers',
  'counter-matches-processes',
  'browsers-within-limit',
  'pages-close-with-session',
  'pages-per-browser',
  'lock-ownership',
  'lock-held-by-session',
  'listeners-removed',
  'single-release',
  'work-cancelled',
  'no-slot-after-end',
  'closed-pool-idle',
  'quiescence',
  'processes-at-quiescence',
  // Budgets are judged over a whole run by the report, never per event.
  'budget',
] as const;

export type InvariantName = (typeof INVARIANT_NAMES)[number];

/** A count for every invariant, zero where `counts` has none. */
export function countsOf(counts: Readonly<Partial<Record<InvariantName, number>>> = {}): Record<InvariantName, number> {
  const complete = {} as Record<InvariantName, number>;
  for (const name of INVARIANT_NAMES) complete[name] = counts[name] ?? 0;
  return complete;
}

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
