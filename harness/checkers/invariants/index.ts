import type { Invariant } from '../invariant.ts';
import { counterMatchesBrowsers } from './counter-matches-browsers.ts';
import { counterMatchesSessions } from './counter-matches-sessions.ts';
import { counterWithinBounds } from './counter-within-bounds.ts';
import { lockOwnership } from './lock-ownership.ts';
import { quiescence } from './quiescence.ts';
import { singleRelease } from './single-release.ts';
import { workCancelled } from './work-cancelled.ts';

export { counterMatchesBrowsers, counterMatchesSessions, counterWithinBounds, lockOwnership, quiescence, singleRelease, workCancelled };

/** Every invariant, in the order their violations are listed when one event breaks several. */
export const ALL_INVARIANTS: readonly Invariant[] = [
  counterMatchesSessions,
  counterWithinBounds,
  counterMatchesBrowsers,
  lockOwnership,
  singleRelease,
  workCancelled,
  quiescence,
];
