import { NO_VIOLATIONS, startsEpisode, violationAt, type EpisodeState, type Invariant } from '../invariant.ts';
import { comparison, counterCulprit } from './counter-culprit.ts';

/**
 * The counter equals the browsers the driver says are alive, give or take the launches and closes
 * in flight. Checked against ground truth, it catches what the pool's own bookkeeping hides.
 */
export const counterMatchesBrowsers: Invariant<EpisodeState> = {
  name: 'counter-matches-browsers',
  kinds: ['settle'],
  init: () => ({ broken: false }),
  check(world, state, event) {
    const { counter, launching } = world;
    const browsers = world.alive.size;
    const closing = world.closing.size;
    const broken = Math.abs(counter - browsers) > launching + closing;
    if (!startsEpisode(state, broken)) return NO_VIOLATIONS;
    return [
      violationAt(
        world,
        'counter-matches-browsers',
        event,
        comparison('counter', counter, 'browsers', browsers),
        { counter, browsers, launching, closing, browserIds: [...world.alive], closingIds: [...world.closing] },
        counterCulprit(world),
      ),
    ];
  },
};
