import type { LockEntry } from '../history/events.ts';
import { updateSessionSet } from './session-set.ts';

/**
 * The sessions the pool's locks belong to, as a set kept equal to its latest list: whether a
 * session still has its lock is then one lookup, not a scan of every lock for every holder. The
 * ids are copied into two arrays used in turn (the previous list and the new one), so a settle
 * allocates nothing and the set is kept by the same in-order comparison as the pool's sessions.
 */
export class LockSessions {
  readonly #set = new Set<string>();
  #previous: string[] = [];
  #next: string[] = [];

  update(locks: readonly LockEntry[]): void {
    const next = this.#next;
    next.length = locks.length;
    for (let i = 0; i < locks.length; i++) next[i] = locks[i]!.session;
    updateSessionSet(this.#set, this.#previous, next);
    this.#next = this.#previous;
    this.#previous = next;
  }

  has(session: string): boolean {
    return this.#set.has(session);
  }

  /** Distinct sessions: fewer than the locks listed when one session is listed twice. */
  get size(): number {
    return this.#set.size;
  }
}
