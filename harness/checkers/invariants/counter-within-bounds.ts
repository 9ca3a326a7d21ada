import { type EpisodeState, type Invariant, NO_VIOLATIONS, startsEpisode, violationAt } from '../invariant.ts';
import type { Violation } from '../violation.ts';
import { Aspect } from '../world.ts';
import { counterCulprit } from './counter-culprit.ts';

/** The counter never goes below zero nor, when it counts browsers, above the pool's own limit (when the run says what it is). */
export const counterWithinBounds: Invariant<EpisodeState> = {
  name: 'counter-within-bounds',
  kinds: ['settle'],
  settleOn: Aspect.counter | Aspect.config,
  init: () => ({ broken: false }),
  check(world, state, event) {
    const { counter, maxBrowsers } = world;
    // maxBrowsers bounds browsers: a counter of contexts or pages may rightly exceed it.
    const tooHigh = maxBrowsers !== undefined && world.counts === 'browsers' && counter > maxBrowsers;
    if (!startsEpisode(state, counter < 0 || tooHigh)) return NO_VIOLATIONS;
    const message = counter < 0 ? `counter(${counter}) < 0` : `counter(${counter}) > maxBrowsers(${maxBrowsers})`;
    const values: Violation['values'] = { counter };
    if (maxBrowsers !== undefined) values.maxBrowsers = maxBrowsers;
    return [violationAt(world, 'counter-within-bounds', event, message, values, counterCulprit(world, counter >= 0))];
  },
};
