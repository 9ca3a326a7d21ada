import type { AnyEvent } from '../../history/events.ts';
import { type EpisodeState, type Invariant, NO_VIOLATIONS, startsEpisode, violationAt } from '../invariant.ts';
import type { Violation } from '../violation.ts';
import { Aspect, type World } from '../world.ts';
import { counterCulprit } from './counter-culprit.ts';

export interface BrowsersWithinLimitState {
  driver: EpisodeState;
  os: EpisodeState;
  /** Browsers the driver saw go down whose processes no sample has shown gone yet. */
  exiting: Set<string>;
}

/**
 * The browsers really alive never outnumber the pool's `maxBrowsers`, whatever its counter says:
 * as the driver sees them (at settled points) and, on real drivers, as the operating system does
 * (browsers with live processes, at each `os.sample`). Browsers on their way out are in the band:
 * a close in flight (a pool may give the slot back before the close confirms and launch the next
 * one), and processes of a browser that went down until a sample shows them gone. A counter that
 * undercounts (a slot given back twice, a launch not counted) lets the pool launch past its limit:
 * the counter invariants compare it with its own sessions, this one with the machine.
 */
export const browsersWithinLimit: Invariant<BrowsersWithinLimitState> = {
  name: 'browsers-within-limit',
  kinds: ['browser.down', 'settle', 'os.sample'],
  settleOn: Aspect.driver | Aspect.config,
  init: () => ({ driver: { broken: false }, os: { broken: false }, exiting: new Set() }),
  check(world, state, event) {
    switch (event.kind) {
      case 'browser.down':
        // Without samples nothing would take it out again: on the sim the set would only grow.
        if (world.processesSampled) state.exiting.add(event.data.browser);
        return NO_VIOLATIONS;
      case 'settle': {
        const max = world.maxBrowsers;
        if (max === undefined) return NO_VIOLATIONS;
        let browsers = world.alive.size;
        for (const browser of world.closing) if (world.alive.has(browser)) browsers--;
        if (!startsEpisode(state.driver, browsers > max)) return NO_VIOLATIONS;
        return [overLimit(world, event, 'browsers', browsers, max)];
      }
      case 'os.sample': {
        let browsers = 0;
        for (const tree of event.data.browsers) {
          if (tree.pids.length === 0) state.exiting.delete(tree.browser);
          else if (!state.exiting.has(tree.browser) && !world.closing.has(tree.browser)) browsers++;
        }
        const max = world.maxBrowsers;
        if (max === undefined || !startsEpisode(state.os, browsers > max)) return NO_VIOLATIONS;
        return [overLimit(world, event, 'browsers with processes', browsers, max)];
      }
      default:
        return NO_VIOLATIONS;
    }
  },
};

function overLimit(world: World, event: AnyEvent, what: string, browsers: number, max: number): Violation {
  // Past the limit, the pool made room it did not have: blamed on the latest slot given back (a
  // second release of one slot, typically), or the latest change when none was.
  const culprit = counterCulprit(world, false);
  const values = { browsers, maxBrowsers: max, counter: world.counter, closing: world.closing.size, browserIds: [...world.alive] };
  return violationAt(world, 'browsers-within-limit', event, `${what}(${browsers}) > maxBrowsers(${max})`, values, culprit);
}
