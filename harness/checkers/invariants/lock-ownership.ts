import type { AnyEvent } from '../../history/events.ts';
import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import type { Violation } from '../violation.ts';
import { Aspect, knownTrack, type World } from '../world.ts';

/** The locks currently known to have several holders, by session: each is reported when it turns so. */
export interface LockOwnershipState {
  crowded: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Every lock belongs to a live session and has at most one holder. A lock that outlives its
 * session is what kept the story's closures, contexts and pages (and their memory) alive. Orphans
 * are the world's (`lockOrphans`), reported when they become so; the holders are counted by the
 * world too, so a settle where no lock has two looks at no lock at all.
 */
export const lockOwnership: Invariant<LockOwnershipState> = {
  name: 'lock-ownership',
  kinds: ['settle'],
  settleOn: Aspect.locks | Aspect.sessions,
  init: () => ({ crowded: NONE }),
  check(world, state, event) {
    if (event.kind !== 'settle') return NO_VIOLATIONS;
    // Neither locks nor sessions changed: every lock is exactly as good or bad as before.
    if (event.data.locks === undefined && event.data.sessions === undefined) return NO_VIOLATIONS;
    const { appeared } = world.lockOrphans;
    if (world.lockSessions.crowded === 0 && state.crowded === NONE) {
      if (appeared.length === 0) return NO_VIOLATIONS;
      return appeared.map((session) => orphanViolation(world, event, session));
    }
    // Some lock has (or had) several holders: walk the locks, reporting in their order.
    let found: Violation[] | undefined;
    let orphans: Set<string> | undefined;
    let crowded: Set<string> | undefined;
    for (const { session, holders } of world.locks) {
      if (appeared.includes(session) && !orphans?.has(session)) {
        (orphans ??= new Set()).add(session);
        (found ??= []).push(orphanViolation(world, event, session));
      }
      if (holders > 1 && !crowded?.has(session)) {
        (crowded ??= new Set()).add(session);
        if (!state.crowded.has(session)) {
          (found ??= []).push(lockViolation(world, event, session, holders, `lock of ${session} has ${holders} holders`));
        }
      }
    }
    state.crowded = crowded ?? NONE;
    return found ?? NO_VIOLATIONS;
  },
};

function orphanViolation(world: World, event: AnyEvent, session: string): Violation {
  const holders = world.locks.find((lock) => lock.session === session)?.holders ?? 0;
  return lockViolation(world, event, session, holders, `lock of ${session} outlives its session (orphan)`);
}

function lockViolation(world: World, event: AnyEvent, session: string, holders: number, message: string): Violation {
  const at = knownTrack(world, session)?.lockAt;
  const values = { session, holders, locks: world.locks.length, sessions: world.sessions.length };
  return violationAt(world, 'lock-ownership', event, message, values, { session, at });
}
