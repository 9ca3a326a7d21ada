import type { Culprit } from '../invariant.ts';
import type { World } from '../world.ts';

/** A counter that drifted is blamed on the latest counter change the pool reported, if it reports them. */
export function counterCulprit(world: World): Culprit {
  const change = world.lastCounterEvent;
  return change === undefined ? {} : { session: change.session, at: change.at };
}

/** `counter(5) > sessions(3)`: the story's own words for a drift. */
export function comparison(leftName: string, left: number, rightName: string, right: number): string {
  return `${leftName}(${left}) ${left > right ? '>' : '<'} ${rightName}(${right})`;
}
