import { type DriftState, type Invariant, NO_VIOLATIONS, reportsDrift, violationAt } from '../invariant.ts';
import { browsersInFlight } from '../world.ts';
import { comparison, counterCulprit } from './counter-culprit.ts';

/**
 * Processes take a moment to exit after a close or a crash (and a child may outlive its main
 * process for a while): a browser that went down this recently (wall-clock ms) may still show
 * processes, or the pool may not have given its slot back yet.
 */
export const PROCESS_EXIT_GRACE_MS = 2000;

interface ProcessDriftState extends DriftState {
  /** Wall time of each browser's `browser.down`, kept for the grace period. */
  downAt: Map<string, number>;
}

/**
 * The counter equals the browsers that have live processes, as the operating system reports them
 * (`os.sample`), give or take what is in flight: launches, opens and closes (the band
 * counter-matches-browsers uses), and browsers that went down within PROCESS_EXIT_GRACE_MS. A
 * browser the driver lost track of, or whose processes survive its close, shows up here. Real
 * drivers only: the sim driver records no `os.sample`.
 */
export const counterMatchesProcesses: Invariant<ProcessDriftState> = {
  name: 'counter-matches-processes',
  kinds: ['browser.down', 'os.sample'],
  init: () => ({ drift: 0, downAt: new Map() }),
  check(world, state, event) {
    if (event.kind === 'browser.down') {
      state.downAt.set(event.data.browser, event.wall);
      return NO_VIOLATIONS;
    }
    if (event.kind !== 'os.sample') return NO_VIOLATIONS;

    const recentlyDown: string[] = [];
    for (const [browser, wall] of state.downAt) {
      if (event.wall - wall <= PROCESS_EXIT_GRACE_MS) recentlyDown.push(browser);
      else state.downAt.delete(browser);
    }
    const { launching, opening } = world;
    // A counter of contexts or pages says nothing about processes: the driver's browsers stand in for it.
    const counter = world.counts === 'browsers' ? world.counter : world.alive.size;
    const counterName = world.counts === 'browsers' ? 'counter' : 'driver browsers';
    const closing = browsersInFlight(world);
    const withProcesses = event.data.browsers.filter((tree) => tree.pids.length > 0);
    const browsers = withProcesses.length;
    const inflight = launching + opening + closing + recentlyDown.length;
    if (!reportsDrift(state, counter - browsers, inflight)) return NO_VIOLATIONS;
    return [
      violationAt(
        world,
        'counter-matches-processes',
        event,
        comparison(counterName, counter, 'browsers with processes', browsers),
        {
          counter,
          browsers,
          drift: state.drift,
          launching,
          opening,
          closing,
          recentlyDown: recentlyDown.length,
          browserIds: withProcesses.map((tree) => tree.browser),
          recentlyDownIds: recentlyDown,
          processes: event.data.processes,
          pssMB: event.data.pssMB,
        },
        counterCulprit(world, counter > browsers),
      ),
    ];
  },
};
