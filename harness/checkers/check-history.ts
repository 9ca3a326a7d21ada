import { type AnyEvent, type EventKind, isPageTrafficEvent } from '../history/events.ts';
import type { ListenerWants } from '../history/recorder.ts';
import { type Invariant, NO_VIOLATIONS } from './invariant.ts';
import { ALL_INVARIANTS } from './invariants/index.ts';
import { countsOf, type InvariantName, type Violation } from './violation.ts';
import { ALL_ASPECTS, createWorld, foldEvent } from './world.ts';

export interface CheckSuite {
  /** Fold one event and return the violations it reveals (a shared empty array when none: do not mutate it). */
  step(event: AnyEvent): Violation[];
  /** Every violation so far, in order. */
  readonly violations: Violation[];
  /** Violations so far per invariant; every name is present. */
  readonly counts: Record<InvariantName, number>;
  /**
   * Whether it needs page traffic: not until an invariant looks at driver calls (the closed pool's,
   * once the pool closes). Subscribed with it, the recorder does not call `step` for traffic it
   * would only pass over.
   */
  readonly wants: ListenerWants;
}

export interface CheckResult {
  violations: Violation[];
  counts: Record<InvariantName, number>;
}

interface Bound {
  invariant: Invariant;
  state: unknown;
  /** The aspects of the world it reads at `settle`. */
  settleOn: number;
  /** Its place among the suite's invariants: the order of their violations at one event. */
  order: number;
  /** Still waiting for its `dormantUntil` event. */
  dormant: boolean;
}

/**
 * All invariants over one shared world: each event is folded once, then only the invariants that
 * look at its kind run, so they all see the state after the event.
 */
export function createCheckSuite(invariants: readonly Invariant[] = ALL_INVARIANTS): CheckSuite {
  const world = createWorld();
  const byKind = new Map<EventKind, Bound[]>();
  // Whether an invariant looks at driver calls or returns: until one does, page traffic is done
  // with before the fold, which passes over it anyway (see foldEvent).
  let trafficWatched = false;
  const subscribe = (bound: Bound, kinds: readonly EventKind[]) => {
    for (const kind of kinds) {
      if (kind === 'driver.call' || kind === 'driver.return') trafficWatched = true;
      const list = byKind.get(kind);
      if (list === undefined) byKind.set(kind, [bound]);
      else {
        let at = list.length;
        while (at > 0 && list[at - 1]!.order > bound.order) at--;
        list.splice(at, 0, bound);
      }
    }
  };
  invariants.forEach((invariant, order) => {
    const { dormantUntil } = invariant;
    const settleOn = invariant.settleOn ?? ALL_ASPECTS;
    const bound: Bound = { invariant, state: invariant.init(), settleOn, order, dormant: dormantUntil !== undefined };
    subscribe(bound, dormantUntil === undefined ? invariant.kinds : [dormantUntil]);
  });
  const violations: Violation[] = [];
  const counts = countsOf();
  // After an interrupt the harness itself closes the pool and kills the browsers: the world it
  // tears down is not the pool's doing, so nothing is judged past `run.shutdown`.
  let shuttingDown = false;

  return {
    violations,
    counts,
    wants: {
      get pageTraffic() {
        return trafficWatched;
      },
    },
    step(event) {
      if (!trafficWatched && isPageTrafficEvent(event)) return NO_VIOLATIONS;
      foldEvent(world, event);
      if (event.kind === 'run.shutdown') shuttingDown = true;
      if (shuttingDown) return NO_VIOLATIONS;
      const interested = byKind.get(event.kind);
      if (interested === undefined) return NO_VIOLATIONS;
      // Settle invariants are functions of the world's state alone: one whose inputs have not moved
      // since the last settled point judged has the same verdict as then.
      let moved = ALL_ASPECTS;
      if (event.kind === 'settle') {
        moved = world.changes;
        if (moved === 0) return NO_VIOLATIONS;
        world.changes = 0;
      }
      let found: Violation[] | undefined;
      for (const bound of interested) {
        if ((bound.settleOn & moved) === 0) continue;
        const { invariant, state } = bound;
        if (bound.dormant) {
          bound.dormant = false;
          subscribe(
            bound,
            invariant.kinds.filter((kind) => kind !== event.kind),
          );
        }
        const broken = invariant.check(world, state, event);
        if (broken.length === 0) continue;
        for (const violation of broken) {
          violations.push(violation);
          counts[violation.invariant]++;
        }
        found = found === undefined ? broken : found.concat(broken);
      }
      return found ?? NO_VIOLATIONS;
    },
  };
}

/** Check a saved history offline: the same suite, the same result as online. */
export function checkHistory(events: Iterable<AnyEvent>): CheckResult {
  const suite = createCheckSuite();
  for (const event of events) suite.step(event);
  return { violations: suite.violations, counts: suite.counts };
}
