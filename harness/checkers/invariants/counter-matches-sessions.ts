import { type DriftState, type Invariant, NO_VIOLATIONS, reportsDrift, violationAt } from '../invariant.ts';
import { Aspect, browsersInFlight, inFlight } from '../world.ts';
import { comparison, counterCulprit } from './counter-culprit.ts';

/**
 * The pool's counter equals the number of its sessions, give or take what is in flight: while a
 * browser is being acquired (launch, then its context and page) or released (its page, context or
 * itself closing), the counter may lie anywhere between confirmed and attempted. Pages count too
 * because a pool may count a browser before its page opens, or drop a session before its page
 * closes: a correct job's normal start and end would otherwise read as drift.
 */
export const counterMatchesSessions: Invariant<DriftState> = {
  name: 'counter-matches-sessions',
  kinds: ['settle'],
  settleOn: Aspect.counter | Aspect.sessions | Aspect.driver | Aspect.jobs,
  init: () => ({ drift: 0 }),
  check(world, state, event) {
    const { counter, launching, opening, closingParts } = world;
    const sessions = world.sessions.length;
    const closing = browsersInFlight(world);
    const band = inFlight(world, true);
    if (!reportsDrift(state, counter - sessions, band)) return NO_VIOLATIONS;
    return [
      violationAt(
        world,
        'counter-matches-sessions',
        event,
        comparison('counter', counter, 'sessions', sessions),
        {
          counter,
          sessions,
          drift: state.drift,
          inFlight: band,
          launching,
          closing,
          opening,
          closingParts,
          sessionIds: [...world.sessions],
        },
        counterCulprit(world, counter > sessions),
      ),
    ];
  },
};
