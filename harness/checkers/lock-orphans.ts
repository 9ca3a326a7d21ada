import type { LockEntry } from '../history/events.ts';
import type { LockSessions } from './lock-sessions.ts';

/**
 * The sessions whose lock outlives them: named by the pool's locks, not among its sessions. Kept
 * from the ids a settle changed, so a pool that leaks locks (its orphans pile up) is not scanned
 * whole at every settle; rebuilt by a scan of the locks only when the lists changed too much to
 * say which ids moved.
 */
export class LockOrphans {
  #set = new Set<string>();
  /** The sessions that became orphans at the latest update, in the order of the locks when rebuilt. */
  readonly appeared: string[] = [];

  /**
   * After the locks or the sessions changed: `changed` holds every id whose membership of either
   * may have changed, or is undefined when any may have.
   */
  update(
    locks: readonly LockEntry[],
    lockSessions: LockSessions,
    sessions: ReadonlySet<string>,
    changed: readonly string[] | undefined,
  ): void {
    this.appeared.length = 0;
    if (changed === undefined) {
      const before = this.#set;
      const after = new Set<string>();
      for (const { session } of locks) {
        if (sessions.has(session) || after.has(session)) continue;
        after.add(session);
        if (!before.has(session)) this.appeared.push(session);
      }
      this.#set = after;
      return;
    }
    for (const session of changed) {
      const orphan = lockSessions.has(session) && !sessions.has(session);
      if (!orphan) this.#set.delete(session);
      else if (!this.#set.has(session)) {
        this.#set.add(session);
        this.appeared.push(session);
      }
    }
  }

  has(session: string): boolean {
    return this.#set.has(session);
  }

  get size(): number {
    return this.#set.size;
  }
}
