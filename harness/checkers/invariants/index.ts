import type { Invariant } from '../invariant.ts';
import { browsersWithinLimit } from './browsers-within-limit.ts';
import { closedPoolIdle } from './closed-pool-idle.ts';
import { counterMatchesBrowsers } from './counter-matches-browsers.ts';
import { counterMatchesProcesses } from './counter-matches-processes.ts';
import { counterMatchesSessions } from './counter-matches-sessions.ts';
import { counterWithinBounds } from './counter-within-bounds.ts';
import { listenersRemoved } from './listeners-removed.ts';
import { lockHeldBySession } from './lock-held-by-session.ts';
import { lockOwnership } from './lock-ownership.ts';
import { noSlotAfterEnd } from './no-slot-after-end.ts';
import { pagesCloseWithSession } from './pages-close-with-session.ts';
import { pagesPerBrowser } from './pages-per-browser.ts';
import { processesAtQuiescence } from './processes-at-quiescence.ts';
import { quiescence } from './quiescence.ts';
import { singleRelease } from './single-release.ts';
import { workCancelled } from './work-cancelled.ts';

export {
  browsersWithinLimit,
  closedPoolIdle,
  counterMatchesBrowsers,
  counterMatchesProcesses,
  counterMatchesSessions,
  counterWithinBounds,
  listenersRemoved,
  lockHeldBySession,
  lockOwnership,
  noSlotAfterEnd,
  pagesCloseWithSession,
  pagesPerBrowser,
  processesAtQuiescence,
  quiescence,
  singleRelease,
  workCancelled,
};

/** Every invariant, in the order their violations are listed when one event breaks several. */
export const ALL_INVARIANTS: readonly Invariant[] = [
  counterMatchesSessions,
  counterWithinBounds,
  counterMatchesBrowsers,
  counterMatchesProcesses,
  browsersWithinLimit,
  pagesCloseWithSession,
  pagesPerBrowser,
  lockOwnership,
  lockHeldBySession,
  listenersRemoved,
  singleRelease,
  workCancelled,
  noSlotAfterEnd,
  closedPoolIdle,
  quiescence,
  processesAtQuiescence,
];
