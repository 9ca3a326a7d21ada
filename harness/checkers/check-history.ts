import type { AnyEvent, EventKind } from '../history/events.ts';
import { type Invariant, NO_VIOLATIONS } from './invariant.ts';
import { ALL_INVARIANTS } from './invariants/index.ts';
import { countsOf, type InvariantName, type Violation } from './violation.ts';
import { createWorld, foldEvent } from './world.ts';

export interface CheckSuite {
  /** Fold one event and return the violations it reveals (a shared empty array when none: do not mutate it). */
  step(event: AnyEvent): Violation[];
  /** Every violation so far, in order. */
  readonly violations: Violation[];
  /** Violations so far per invariant; every name is present. */
  readonly counts: Record<InvariantName, number>;
}

export interface CheckResult {
  violations: Violation[];
  counts: Record<InvariantName, number>;
}

interface Bound {
  invariant: Invariant;
  state: unknown;
}

/**
 * All invariants over one shared world: each event is folded once, then only the invariants that
 * look at its kind run, so they all see the state after the event.
 */
export function createCheckSuite(invariants: readonly Invariant[] = ALL_INVARIANTS): CheckSuite {
  const world = createWorld();
  const byKind = new Map<EventKind, Bound[]>();
  for (const invariant of invariants) {
    const bound: Bound = { invariant, state: invariant.init() };
    for (const kind of invariant.kinds) {
      const list = byKind.get(kind);
      if (list) list.push(bound);
      else byKind.set(kind, [bound]);
    }
  }
  const violations: Violation[] = [];
  const counts = countsOf();
  // Settle invariants are functions of the world's state alone: if it has not changed since the
  // last settle (only jobs or locks moved, say), neither has their verdict.
  let judgedVersion = -1;
  // After an interrupt the harness itself closes the pool and kills the browsers: the world it
  // tears down is not the pool's doing, so nothing is judged past `run.shutdown`.
  let shuttingDown = false;

  return {
    violations,
    counts,
    step(event) {
      foldEvent(world, event);
      if (event.kind === 'run.shutdown') shuttingDown = true;
      if (shuttingDown) return NO_VIOLATIONS;
      const interested = byKind.get(event.kind);
      if (interested === undefined) return NO_VIOLATIONS;
      if (event.kind === 'settle') {
        if (world.version === judgedVersion) return NO_VIOLATIONS;
        judgedVersion = world.version;
      }
      let found: Violation[] | undefined;
      for (const { invariant, state } of interested) {
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
