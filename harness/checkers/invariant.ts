import type { AnyEvent, EventKind } from '../history/events.ts';
import { RECENT_EVENTS } from './recent-events.ts';
import type { Checker, InvariantName, Violation } from './violation.ts';
import { createWorld, foldEvent, type World } from './world.ts';

/**
 * One invariant, as a function of the shared world (already folded with the event) and its own
 * small state. `kinds` lists the events it looks at, so the suite never calls it on the others:
 * that is what keeps the common events (driver calls, timers, jobs) cheap. An invariant on
 * `settle` must depend only on the world's state (not on the event's time), because the suite
 * skips it at settled points where nothing it reads has changed (`settleOn`).
 */
export interface Invariant<State = unknown> {
  readonly name: InvariantName;
  readonly kinds: readonly EventKind[];
  /**
   * At `settle`, the parts of the world it reads (`Aspect` bits; every one when absent): it is
   * called only at settled points where one of them moved since the last one judged. With the
   * same inputs it would find what it found then, and its state would not move.
   */
  readonly settleOn?: number;
  /**
   * Nothing can break it before the first event of this kind (one of `kinds`): until then the
   * suite calls it on that kind alone, so the common events it looks at later cost nothing.
   */
  readonly dormantUntil?: EventKind;
  init(): State;
  check(world: World, state: State, event: AnyEvent): Violation[];
}

/** Returned when nothing broke, so the common case allocates nothing. Never mutate it. */
export const NO_VIOLATIONS: Violation[] = Object.freeze([]) as unknown as Violation[];

/** What a violation is blamed on: the session concerned and the call site of the change. */
export interface Culprit {
  session?: string | undefined;
  at?: string | undefined;
}

/** Build a violation at `event`, with the recent events of the culprit's session (or the run's). */
export function violationAt(
  world: World,
  invariant: InvariantName,
  event: AnyEvent,
  message: string,
  values: Violation['values'],
  culprit: Culprit = {},
): Violation {
  const recent = world.recent.last(RECENT_EVENTS, culprit.session);
  return {
    invariant,
    message,
    values,
    seq: event.seq,
    t: event.t,
    ...(culprit.session === undefined ? {} : { session: culprit.session }),
    ...(culprit.at === undefined ? {} : { at: culprit.at }),
    recent,
  };
}

/**
 * State invariants are reported once per episode: when they go from holding to broken. Returns
 * true exactly at the start of an episode.
 */
export interface EpisodeState {
  broken: boolean;
}

export function startsEpisode(state: EpisodeState, brokenNow: boolean): boolean {
  const starts = brokenNow && !state.broken;
  state.broken = brokenNow;
  return starts;
}

/** The drift between a counter and the truth it should equal, as last reported. */
export interface DriftState {
  drift: number;
}

/**
 * Whether a counter that should equal a truth reports a new drift now. `diff` is counter minus
 * truth; `inflight` the operations whose effect may not have reached both yet (Jepsen's rule: in
 * that window any value between confirmed and attempted is fine).
 * - At a quiet point (nothing in flight) the drift is exact: a new non-zero value is reported
 *   (each double decrement that worsens it is one more mismatch), zero ends the episode.
 * - While busy, only a difference larger than what is in flight can be told, and only the part
 *   beyond it; it is reported if no drift was being tracked, so an old drift is not re-counted
 *   each time a launch widens the band.
 */
export function reportsDrift(state: DriftState, diff: number, inflight: number): boolean {
  if (inflight === 0) {
    if (diff === state.drift) return false;
    state.drift = diff;
    return diff !== 0;
  }
  if (state.drift !== 0 || Math.abs(diff) <= inflight) return false;
  state.drift = diff > 0 ? diff - inflight : diff + inflight;
  return true;
}

/** Run one invariant on its own, folding a private world; the suite shares one world instead. */
export function asChecker<State>(invariant: Invariant<State>): Checker<{ world: World; state: State }> {
  const wanted = new Set<EventKind>(invariant.kinds);
  return {
    name: invariant.name,
    init: () => ({ world: createWorld(), state: invariant.init() }),
    step({ world, state }, event) {
      foldEvent(world, event);
      return wanted.has(event.kind) ? invariant.check(world, state, event) : NO_VIOLATIONS;
    },
  };
}
