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

/**
 * A counter that drifted from the driver's live objects is blamed, when a page says so, on the
 * session the drift belongs to: too high, a session the pool still lists whose page is gone; too
 * low, a live page whose session is over and no longer listed (a page left open). The call site is
 * that session's last counter change. Otherwise, as `counterCulprit`.
 */
export function objectCulprit(world: World, tooHigh: boolean): Culprit {
  const session = tooHigh ? listedWithoutPage(world) : pageWithoutSession(world);
  if (session === undefined) return counterCulprit(world, tooHigh);
  return { session, at: world.perSession.get(session)?.counterAt };
}

function listedWithoutPage(world: World): string | undefined {
  for (const id of world.sessions) {
    const page = world.perSession.get(id)?.page;
    if (page !== undefined && !world.contextOfPage.has(page)) return id;
  }
  return undefined;
}

function pageWithoutSession(world: World): string | undefined {
  for (const session of world.sessionOfPage.values()) {
    if (!world.sessionSet.has(session) && world.perSession.get(session)?.ended === true) return session;
  }
  return undefined;
}

/** `counter(5) > sessions(3)`: the story's own words for a drift. */
export function comparison(leftName: string, left: number, rightName: string, right: number): string {
  return `${leftName}(${left}) ${left > right ? '>' : '<'} ${rightName}(${right})`;
}
