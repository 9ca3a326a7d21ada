import type { AnyEvent } from '../../history/events.ts';
import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import type { Violation } from '../violation.ts';
import { Aspect, knownTrack, type World } from '../world.ts';

export interface LockHeldState {
  /** Sessions holding a lock the pool attached to them, until they release it themselves or end. */
  holding: Set<string>;
  /** Holders that took their lock since the last settle that changed the locks. */
  takenSinceSettle: Set<string>;
}

/**
 * A session holds its lock from the pool's `attach` until it releases it itself or the job ends,
 * and nobody else takes it away meanwhile: not another session's release (`pool.lock` with `by`, a
 * late release by a previous holder of a lock keyed by what it guards), not a sweep (`pool.sweep`'s
 * `removed`), not silently (the lock missing from `inspect().locks` at a settled point). A lock
 * lost while its session still works lets a second operation drive the same page or browser.
 * Said only of pools that report their locks (`pool.lock`).
 */
export const lockHeldBySession: Invariant<LockHeldState> = {
  name: 'lock-held-by-session',
  kinds: ['pool.lock', 'pool.sweep', 'job.end', 'settle'],
  settleOn: Aspect.locks,
  init: () => ({ holding: new Set(), takenSinceSettle: new Set() }),
  check(world, state, event) {
    switch (event.kind) {
      case 'pool.lock': {
        const session = event.session;
        if (session === undefined) return NO_VIOLATIONS;
        if (event.data.op === 'attach') {
          state.holding.add(session);
          state.takenSinceSettle.add(session);
          return NO_VIOLATIONS;
        }
        const by = event.data.by;
        if (!state.holding.delete(session) || by === undefined || by === session) return NO_VIOLATIONS;
        return [
          lost(world, event, session, `lock of ${session} released by ${by} while ${session} holds it`, { session: by, at: event.at }),
        ];
      }
      case 'pool.sweep': {
        let found: Violation[] | undefined;
        for (const session of event.data.removed ?? []) {
          if (!state.holding.delete(session)) continue;
          const culprit = { session, at: event.at };
          (found ??= []).push(lost(world, event, session, `lock of ${session} removed by the sweep while ${session} holds it`, culprit));
        }
        return found ?? NO_VIOLATIONS;
      }
      case 'job.end':
        if (event.session !== undefined) state.holding.delete(event.session);
        return NO_VIOLATIONS;
      default: {
        if (state.holding.size === 0 || (event.kind === 'settle' && event.data.locks === undefined)) return NO_VIOLATIONS;
        const missing = lostSinceLastSettle(world, state);
        if (missing === undefined) return NO_VIOLATIONS;
        return missing.map((session) => {
          state.holding.delete(session);
          return lost(world, event, session, `lock of ${session} lost while ${session} holds it`, {});
        });
      }
    }
  },
};

/**
 * The holders whose lock the pool no longer lists, in the order they took it. After each settle
 * that changed the locks, every holder left is listed; so only the locks taken since, and the ids
 * whose lock this settle may have removed, need a look (all of them when it cannot say which).
 */
function lostSinceLastSettle(world: World, state: LockHeldState): string[] | undefined {
  let missing: Set<string> | undefined;
  if (world.settleChangedAll) missing = unlisted(world, state, state.holding, missing);
  else {
    missing = unlisted(world, state, world.settleChanged, missing);
    missing = unlisted(world, state, state.takenSinceSettle, missing);
  }
  state.takenSinceSettle.clear();
  if (missing === undefined) return undefined;
  return missing.size === 1 ? [...missing] : [...state.holding].filter((session) => missing.has(session));
}

/** Adds to `missing` those of `sessions` that hold a lock the pool no longer lists. */
function unlisted(
  world: World,
  state: LockHeldState,
  sessions: Iterable<string>,
  missing: Set<string> | undefined,
): Set<string> | undefined {
  for (const session of sessions) {
    if (state.holding.has(session) && !world.lockSessions.has(session)) (missing ??= new Set()).add(session);
  }
  return missing;
}

/** The culprit is who removed the lock when known, else the session that lost it. */
function lost(
  world: World,
  event: AnyEvent,
  session: string,
  message: string,
  culprit: { session?: string; at?: string | undefined },
): Violation {
  const blamed = culprit.session ?? session;
  const at = culprit.at ?? knownTrack(world, blamed)?.lockAt;
  const values = { session, locks: world.locks.length, working: knownTrack(world, session)?.workRunning ?? 0 };
  return violationAt(world, 'lock-held-by-session', event, message, values, { session: blamed, at });
}
