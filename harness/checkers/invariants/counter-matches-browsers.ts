import { type DriftState, type Invariant, NO_VIOLATIONS, reportsDrift, violationAt } from '../invariant.ts';
import { Aspect, inFlight, liveCounted } from '../world.ts';
import { comparison, objectCulprit } from './counter-culprit.ts';

/**
 * The counter equals what the driver says is alive of the kind it counts: browsers (a browser per
 * job, the default), or contexts or pages (one per job in shared browsers; `inspect().counts`),
 * give or take what is in flight (see `inFlight`): a browser is being acquired from its launch
 * until its page is open, and released until its close returns and its disconnect is handled (a
 * pool may give its slot back at once, or only once the close confirms). Checked against ground
 * truth, it catches what the pool's own bookkeeping hides.
 */
export const counterMatchesBrowsers: Invariant<DriftState> = {
  name: 'counter-matches-browsers',
  kinds: ['settle'],
  settleOn: Aspect.counter | Aspect.driver | Aspect.jobs,
  init: () => ({ drift: 0 }),
  check(world, state, event) {
    const { counter, counts } = world;
    const live = liveCounted(world);
    const band = inFlight(world, false);
    if (!reportsDrift(state, counter - live, band)) return NO_VIOLATIONS;
    return [
      violationAt(
        world,
        'counter-matches-browsers',
        event,
        comparison('counter', counter, counts, live),
        {
          counter,
          [counts]: live,
          drift: state.drift,
          inFlight: band,
          launching: world.launching,
          opening: world.opening,
          closing: world.closing.size,
          unhandled: world.unhandled.size,
          browserIds: [...world.alive],
          closingIds: [...world.closing],
        },
        objectCulprit(world, counter > live),
      ),
    ];
  },
};
