import type { AnyEvent } from '../../history/events.ts';
import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import type { Violation } from '../violation.ts';
import type { World } from '../world.ts';

export interface LockHeldState {
  /** Sessions holding a lock the pool attached to them, until they release it themselves or end. */
  holding: Set<string>;
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
  init: () => ({ holding: new Set() }),
  check(world, state, event) {
    switch (event.kind) {
      case 'pool.lock': {
        const session = event.session;
        if (session === undefined) return NO_VIOLATIONS;
        if (event.data.op === 'attach') {
          state.holding.add(session);
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
        let found: Violation[] | undefined;
        for (const session of state.holding) {
          if (world.lockSessions.has(session)) continue;
          state.holding.delete(session);
          (found ??= []).push(lost(world, event, session, `lock of ${session} lost while ${session} holds it`, {}));
        }
        return found ?? NO_VIOLATIONS;
      }
    }
  },
};

/** The culprit is who removed the lock when known, else the session that lost it. */
function lost(
  world: World,
  event: AnyEvent,
  session: string,
  message: string,
  culprit: { session?: string; at?: string | undefined },
): Violation {
  const blamed = culprit.session ?? session;
  const at = culprit.at ?? world.perSession.get(blamed)?.lockAt;
  const values = { session, locks: world.locks.length, working: world.perSession.get(session)?.workRunning ?? 0 };
  return violationAt(world, 'lock-held-by-session', event, message, values, { session: blamed, at });
}
