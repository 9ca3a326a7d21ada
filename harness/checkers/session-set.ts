/**
 * Keeps a set of ids (the pool's sessions, or the sessions its locks name) equal to the latest
 * list, reused rather than rebuilt: settles are frequent and the set is long-lived. When `changed`
 * is given, the ids whose membership may have changed are appended to it; returns false when the
 * set had to be rebuilt, after which any id may have. Lists of ids only, compared by identity in a
 * plain loop: no callback per element (a lock list is turned into its ids first, see LockSessions).
 */
export function updateSessionSet(set: Set<string>, previous: readonly string[], next: readonly string[], changed?: string[]): boolean {
  if (applySingleChange(set, previous, next, changed)) return true;
  set.clear();
  for (const id of next) set.add(id);
  return false;
}

/**
 * Between two settles the pool's sessions usually differ by one added, removed or replaced id.
 * Comparing the lists in order is much cheaper than rehashing every id, so that case updates the
 * set in place; anything else returns false and the set is rebuilt.
 */
function applySingleChange(set: Set<string>, previous: readonly string[], next: readonly string[], changed: string[] | undefined): boolean {
  const common = Math.min(previous.length, next.length);
  let i = 0;
  while (i < common && previous[i] === next[i]) i++;
  if (next.length === previous.length + 1) {
    for (let j = i; j < previous.length; j++) if (previous[j] !== next[j + 1]) return false;
    const added = next[i]!;
    set.add(added);
    changed?.push(added);
    return true;
  }
  if (next.length === previous.length - 1) {
    for (let j = i; j < next.length; j++) if (next[j] !== previous[j + 1]) return false;
    const removed = previous[i]!;
    forgetUnlessListed(set, removed, next);
    changed?.push(removed);
    return true;
  }
  if (next.length === previous.length) {
    if (i === next.length) return true;
    for (let j = i + 1; j < next.length; j++) if (next[j] !== previous[j]) return false;
    const removed = previous[i]!;
    const added = next[i]!;
    forgetUnlessListed(set, removed, next);
    set.add(added);
    changed?.push(removed, added);
    return true;
  }
  return false;
}

/** A pool listing one id twice must not lose it from the set when one copy goes. */
function forgetUnlessListed(set: Set<string>, id: string, next: readonly string[]): void {
  for (const listed of next) if (listed === id) return;
  set.delete(id);
}
