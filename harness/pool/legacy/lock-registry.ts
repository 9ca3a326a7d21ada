import type { LockEntry } from '../../history/events.ts';
import type { PoolEnv } from '../contract.ts';

export interface SessionHandle {
  release(): Promise<void>;
}

/**
 * The story's SessionLockRegistry (v2.3): a per-session lock so two operations never drive one
 * page. Its flaw is in how it is used: a holder whose `release()` is skipped leaves an orphan
 * lock that only the periodic sweep removes.
 */
export class SessionLockRegistry {
  readonly #locks = new Map<string, { activeCount: number; session: unknown }>();

  constructor(private readonly env: PoolEnv) {}

  get size(): number {
    return this.#locks.size;
  }

  /** `session` is what the lock guards; the lock keeps it (and its browser) until it is released or swept. */
  attach(sessionId: string, session: unknown): SessionHandle {
    const state = this.#locks.get(sessionId) ?? { activeCount: 0, session };
    this.#locks.set(sessionId, state);
    state.activeCount++;
    this.env.report('pool.lock', sessionId, { op: 'attach', holders: state.activeCount });
    return {
      release: async () => {
        state.activeCount--;
        if (state.activeCount === 0) this.#locks.delete(sessionId);
        this.env.report('pool.lock', sessionId, { op: 'release', holders: state.activeCount });
      },
    };
  }

  isHeld(sessionId: string): boolean {
    return (this.#locks.get(sessionId)?.activeCount ?? 0) > 0;
  }

  /** Deletes the locks whose session is gone; returns the sessions whose locks it deleted. */
  sweepOrphanedLocks(validSessionIds: ReadonlySet<string>): string[] {
    const removed: string[] = [];
    for (const sessionId of this.#locks.keys()) {
      if (validSessionIds.has(sessionId)) continue;
      this.#locks.delete(sessionId);
      removed.push(sessionId);
    }
    return removed;
  }

  snapshot(): LockEntry[] {
    return [...this.#locks].map(([session, state]) => ({ session, holders: state.activeCount }));
  }
}
