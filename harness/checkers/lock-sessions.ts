import type { LockEntry } from '../history/events.ts';
import { updateSessionSet } from './session-set.ts';

/**
 * The sessions the pool's locks belong to, as a set kept equal to its latest list: whether a
 * session still has its lock is then one lookup, not a scan of every lock for every holder. Kept
 * by the same in-order comparison as the pool's sessions, between the previous list's ids and the
 * new one's: the previous list's entries are long since out of cache, its ids were read once.
 */
export class LockSessions {
  readonly #set = new Set<string>();
  #previousIds: readonly string[] = [];
  #crowded = 0;

  /** See `updateSessionSet`: the ids whose membership may have changed go to `changed`; false when any may have. */
  update(locks: readonly LockEntry[], changed?: string[]): boolean {
    const ids: string[] = [];
    let crowded = 0;
    for (const lock of locks) {
      ids.push(lock.session);
      if (lock.holders > 1) crowded++;
    }
    this.#crowded = crowded;
    const exact = updateSessionSet(this.#set, this.#previousIds, ids, changed);
    this.#previousIds = ids;
    return exact;
  }

  has(session: string): boolean {
    return this.#set.has(session);
  }

  /** Distinct sessions: fewer than the locks listed when one session is listed twice. */
  get size(): number {
    return this.#set.size;
  }

  /** Locks listed with more than one holder. */
  get crowded(): number {
    return this.#crowded;
  }
}
