import type { Culprit } from '../invariant.ts';
import type { World } from '../world.ts';

/**
 * A counter that drifted is blamed on the latest change the pool reported in the direction of the
 * drift (a counter too low on the latest decrement, too high on the latest increment), or on the
 * latest change at all. The direction matters once other jobs come and go: the increment of a job
 * that merely started is not what left the counter short.
 */
export function counterCulprit(world: World, tooHigh: boolean): Culprit {
  const change = (tooHigh ? world.lastIncrement : world.lastDecrement) ?? world.lastCounterEvent;
  return change === undefined ? {} : { session: change.session, at: change.at };
}

/** `counter(5) > sessions(3)`: the story's own words for a drift. */
export function comparison(leftName: string, left: number, rightName: string, right: number): string {
  return `${leftName}(${left}) ${left > right ? '>' : '<'} ${rightName}(${right})`;
}
