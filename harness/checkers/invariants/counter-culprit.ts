import type { Culprit } from '../invariant.ts';
import { knownTrack, type SessionTrack, type World } from '../world.ts';

/**
 * A counter that drifted is blamed on the session the drift belongs to:
 * - too high (a missing decrement): the latest session that ended, is no longer listed by the
 *   pool, and took more slots than it gave back, with the call site of its last counter change.
 *   The latest increment is usually an innocent job that merely started.
 * - too low, or when no session ended holding a slot: the latest change the pool reported in the
 *   direction of the drift (a counter too low on the latest decrement), or the latest change at all.
 */
export function counterCulprit(world: World, tooHigh: boolean): Culprit {
  const keeper = tooHigh ? endedHoldingSlot(world) : undefined;
  if (keeper !== undefined) return { session: keeper.id, at: keeper.counterAt };
  const change = (tooHigh ? world.lastIncrement : world.lastDecrement) ?? world.lastCounterEvent;
  return change === undefined ? {} : { session: change.session, at: change.at };
}

/** The latest ended session still holding a slot; those past the ring of ended sessions are kept whole (canForget), so they are searched last. */
function endedHoldingSlot(world: World): SessionTrack | undefined {
  const ring = world.endedSessions;
  for (let i = 1; i <= ring.length; i++) {
    const id = ring[(world.endedNext - i + ring.length) % ring.length];
    if (id === undefined) break;
    const track = knownTrack(world, id);
    if (track !== undefined && holdsSlotAfterEnd(world, track)) return track;
  }
  let latest: SessionTrack | undefined;
  for (const track of world.perSession.values()) if (holdsSlotAfterEnd(world, track)) latest = track;
  return latest;
}

function holdsSlotAfterEnd(world: World, track: SessionTrack): boolean {
  return track.ended && track.increments > track.decrements && !world.sessionSet.has(track.id);
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
  return { session, at: knownTrack(world, session)?.counterAt };
}

function listedWithoutPage(world: World): string | undefined {
  for (const id of world.sessions) {
    const page = knownTrack(world, id)?.page;
    if (page !== undefined && !world.contextOfPage.has(page)) return id;
  }
  return undefined;
}

function pageWithoutSession(world: World): string | undefined {
  for (const session of world.sessionOfPage.values()) {
    if (!world.sessionSet.has(session) && knownTrack(world, session)?.ended === true) return session;
  }
  return undefined;
}

/** `counter(5) > sessions(3)`: the story's own words for a drift. */
export function comparison(leftName: string, left: number, rightName: string, right: number): string {
  return `${leftName}(${left}) ${left > right ? '>' : '<'} ${rightName}(${right})`;
}
