import type { LockEntry } from '../history/events.ts';
import { updateKeyedSet } from './session-set.ts';

/**
 * The sessions the pool's locks belong to, as a set kept equal to its latest list: whether a
 * session still has its lock is then one lookup, not a scan of every lock for every holder. Kept
 * by the same in-order comparison as the pool's sessions, between the previous list and the new.
 */
export class LockSessions {
  readonly #set = new Set<string>();
  #previous: readonly LockEntry[] = [];
  #crowded = 0;

  /** See `updateKeyedSet`: the ids whose membership may have changed go to `changed`; false when any may have. */
  update(locks: readonly LockEntry[], changed?: string[]): boolean {
    let crowded = 0;
    for (const lock of locks) if (lock.holders > 1) crowded++;
    this.#crowded = crowded;
    const exact = updateKeyedSet(this.#set, this.#previous, locks, sessionOf, changed);
    this.#previous = locks;
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

function sessionOf(lock: LockEntry): string {
  return lock.session;
}
