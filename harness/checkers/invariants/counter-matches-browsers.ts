import { type DriftState, type Invariant, NO_VIOLATIONS, reportsDrift, violationAt } from '../invariant.ts';
import { comparison, counterCulprit } from './counter-culprit.ts';

/**
 * The counter equals the browsers the driver says are alive, give or take what is in flight: a
 * browser is being acquired from its launch until its page is open, and released until its close
 * returns (a pool may give its slot back at once and close the browser when its page has opened).
 * Checked against ground truth, it catches what the pool's own bookkeeping hides.
 */
export const counterMatchesBrowsers: Invariant<DriftState> = {
  name: 'counter-matches-browsers',
  kinds: ['settle'],
  init: () => ({ drift: 0 }),
  check(world, state, event) {
    const { counter, launching, opening } = world;
    const browsers = world.alive.size;
    const closing = world.closing.size;
    if (!reportsDrift(state, counter - browsers, launching + opening + closing)) return NO_VIOLATIONS;
    return [
      violationAt(
        world,
        'counter-matches-browsers',
        event,
        comparison('counter', counter, 'browsers', browsers),
        {
          counter,
          browsers,
          drift: state.drift,
          launching,
          opening,
          closing,
          browserIds: [...world.alive],
          closingIds: [...world.closing],
        },
        counterCulprit(world, counter > browsers),
      ),
    ];
  },
};
