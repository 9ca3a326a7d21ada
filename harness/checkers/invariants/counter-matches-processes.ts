import { type DriftState, type Invariant, NO_VIOLATIONS, reportsDrift, violationAt } from '../invariant.ts';
import { Aspect, browsersInFlight } from '../world.ts';
import { comparison, counterCulprit } from './counter-culprit.ts';

interface ProcessDriftState extends DriftState {
  /**
   * Browsers the driver saw go down, until their processes are gone (`gone`, from a sample) and a
   * settled point has passed since, so the pool has had its chance to handle the loss; and
   * browsers a crash fault struck, until the driver sees them go down (`struck`): their processes
   * can be gone from a sample before the driver's disconnect arrives, on a busy machine by seconds.
   */
  exiting: Map<string, 'struck' | 'running' | 'gone'>;
  /** Those of `exiting` a sample showed gone: the next settled point takes them out (kept apart so a settle costs nothing when none are). */
  gone: string[];
}

/**
 * The counter equals the browsers that have live processes, as the operating system reports them
 * (`os.sample`), give or take what is in flight: launches, opens and closes (the band
 * counter-matches-browsers uses), and browsers that went down whose processes are still exiting.
 * A down browser stays in the band until a sample shows its processes gone and a settled point
 * has passed since, however long that takes on a busy machine, and a browser a crash struck from
 * the strike until the driver sees it down: no guess at the machine's speed decides the verdict. Processes that
 * never go are judged by what outlives the run (processes-at-quiescence). A browser the driver
 * lost track of, or a counter that misses a browser still up, shows up here. Real drivers only:
 * the sim driver records no `os.sample`.
 */
export const counterMatchesProcesses: Invariant<ProcessDriftState> = {
  name: 'counter-matches-processes',
  kinds: ['fault.start', 'browser.down', 'settle', 'os.sample'],
  settleOn: Aspect.samples,
  init: () => ({ drift: 0, exiting: new Map(), gone: [] }),
  check(world, state, event) {
    // Without samples nothing takes a browser out of `exiting`: on the sim it would only grow.
    if (!world.processesSampled) return NO_VIOLATIONS;
    if (event.kind === 'fault.start') {
      // A crash kills the browser's processes; it is in flight until the driver says it is down.
      if (event.data.fault === 'crash' && world.alive.has(event.data.target)) state.exiting.set(event.data.target, 'struck');
      return NO_VIOLATIONS;
    }
    if (event.kind === 'browser.down') {
      state.exiting.set(event.data.browser, 'running');
      return NO_VIOLATIONS;
    }
    if (event.kind === 'settle') {
      if (state.gone.length === 0) return NO_VIOLATIONS;
      for (const browser of state.gone) state.exiting.delete(browser);
      state.gone.length = 0;
      return NO_VIOLATIONS;
    }
    if (event.kind !== 'os.sample') return NO_VIOLATIONS;

    const withProcesses = event.data.browsers.filter((tree) => tree.pids.length > 0);
    const alive = new Set(withProcesses.map((tree) => tree.browser));
    for (const [browser, phase] of state.exiting) {
      if (phase === 'running' && !alive.has(browser)) {
        state.exiting.set(browser, 'gone');
        state.gone.push(browser);
      }
    }
    const { launching, opening } = world;
    // A counter of contexts or pages says nothing about processes: the driver's browsers stand in for it.
    const counter = world.counts === 'browsers' ? world.counter : world.alive.size;
    const counterName = world.counts === 'browsers' ? 'counter' : 'driver browsers';
    const closing = browsersInFlight(world);
    const browsers = withProcesses.length;
    const exiting = state.exiting.size;
    const inflight = launching + opening + closing + exiting;
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
          exiting,
          browserIds: [...alive],
          exitingIds: [...state.exiting.keys()],
          processes: event.data.processes,
          pssMB: event.data.pssMB,
        },
        counterCulprit(world, counter > browsers),
      ),
    ];
  },
};
