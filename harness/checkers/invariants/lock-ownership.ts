import type { AnyEvent } from '../../history/events.ts';
import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import type { Violation } from '../violation.ts';
import type { World } from '../world.ts';

/** The locks currently known bad, by session: each is reported when it turns bad, not while it stays so. */
export interface LockOwnershipState {
  orphans: ReadonlySet<string>;
  crowded: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Every lock belongs to a live session and has at most one holder. A lock that outlives its
 * session is what kept the story's closures, contexts and pages (and their memory) alive.
 */
export const lockOwnership: Invariant<LockOwnershipState> = {
  name: 'lock-ownership',
  kinds: ['settle'],
  init: () => ({ orphans: NONE, crowded: NONE }),
  check(world, state, event) {
    if (event.kind !== 'settle') return NO_VIOLATIONS;
    // Neither locks nor sessions changed: every lock is exactly as good or bad as before.
    if (event.data.locks === undefined && event.data.sessions === undefined) return NO_VIOLATIONS;
    if (state.orphans === NONE && state.crowded === NONE && eachLockHeldOnceInSessionOrder(world)) return NO_VIOLATIONS;
    if (state.orphans !== NONE && sameOrphansAsBefore(world, state)) return NO_VIOLATIONS;
    let found: Violation[] | undefined;
    // Built only when some lock is bad, so the usual all-good settle allocates nothing.
    let orphans: Set<string> | undefined;
    let crowded: Set<string> | undefined;
    for (const { session, holders } of world.locks) {
      if (!world.sessionSet.has(session) && !orphans?.has(session)) {
        (orphans ??= new Set()).add(session);
        if (!state.orphans.has(session)) {
          (found ??= []).push(lockViolation(world, event, session, holders, `lock of ${session} outlives its session (orphan)`));
        }
      }
      if (holders > 1 && !crowded?.has(session)) {
        (crowded ??= new Set()).add(session);
        if (!state.crowded.has(session)) {
          (found ??= []).push(lockViolation(world, event, session, holders, `lock of ${session} has ${holders} holders`));
        }
      }
    }
    state.orphans = orphans ?? NONE;
    state.crowded = crowded ?? NONE;
    return found ?? NO_VIOLATIONS;
  },
};

/**
 * The common case, proven without a lookup: pools keep their locks in the order of their
 * sessions (both in insertion order), one per session, one holder each. A sequential pass of
 * pointer comparisons settles it; anything else takes the full check.
 */
function eachLockHeldOnceInSessionOrder(world: World): boolean {
  const { locks, sessions } = world;
  if (locks.length > sessions.length) return false;
  let s = 0;
  for (const lock of locks) {
    if (lock.holders > 1) return false;
    while (s < sessions.length && sessions[s] !== lock.session) s++;
    if (s === sessions.length) return false;
    s++;
  }
  return true;
}

/**
 * A pool that leaks locks keeps the same orphans over many settles: proven unchanged with one
 * lookup per lock and nothing built, where the full check builds the set anew. Exact only when
 * each session has one lock entry (the lock set is as large as the list), none has two holders,
 * and every orphan found was one before and as many: then the orphans are the same set.
 */
function sameOrphansAsBefore(world: World, state: LockOwnershipState): boolean {
  if (state.crowded !== NONE || world.lockSessions.size !== world.locks.length) return false;
  let orphans = 0;
  for (const { session, holders } of world.locks) {
    if (holders > 1) return false;
    if (world.sessionSet.has(session)) continue;
    if (!state.orphans.has(session)) return false;
    orphans++;
  }
  return orphans === state.orphans.size;
}

function lockViolation(world: World, event: AnyEvent, session: string, holders: number, message: string): Violation {
  const at = world.perSession.get(session)?.lockAt;
  const values = { session, holders, locks: world.locks.length, sessions: world.sessions.length };
  return violationAt(world, 'lock-ownership', event, message, values, { session, at });
}
