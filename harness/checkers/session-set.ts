/**
 * Keeps a set of the pool's session ids equal to its latest list, reused rather than rebuilt:
 * settles are frequent and the set is long-lived. When `changed` is given, the ids whose
 * membership may have changed are appended to it; returns false when the set had to be rebuilt,
 * after which any id may have.
 */
export function updateSessionSet(set: Set<string>, previous: readonly string[], next: readonly string[], changed?: string[]): boolean {
  return updateKeyedSet(set, previous, next, sessionId, changed);
}

/** The same, for a list of items that each name a session (`idOf`): the pool's locks. */
export function updateKeyedSet<T>(
  set: Set<string>,
  previous: readonly T[],
  next: readonly T[],
  idOf: (item: T) => string,
  changed?: string[],
): boolean {
  if (applySingleChange(set, previous, next, idOf, changed)) return true;
  set.clear();
  for (const item of next) set.add(idOf(item));
  return false;
}

function sessionId(id: string): string {
  return id;
}

/**
 * Between two settles the pool's sessions usually differ by one added, removed or replaced id.
 * Comparing the lists in order is much cheaper than rehashing every id, so that case updates the
 * set in place; anything else returns false and the set is rebuilt.
 */
function applySingleChange<T>(
  set: Set<string>,
  previous: readonly T[],
  next: readonly T[],
  idOf: (item: T) => string,
  changed: string[] | undefined,
): boolean {
  const common = Math.min(previous.length, next.length);
  let i = 0;
  while (i < common && idOf(previous[i]!) === idOf(next[i]!)) i++;
  if (next.length === previous.length + 1) {
    for (let j = i; j < previous.length; j++) if (idOf(previous[j]!) !== idOf(next[j + 1]!)) return false;
    const added = idOf(next[i]!);
    set.add(added);
    changed?.push(added);
    return true;
  }
  if (next.length === previous.length - 1) {
    for (let j = i; j < next.length; j++) if (idOf(next[j]!) !== idOf(previous[j + 1]!)) return false;
    const removed = idOf(previous[i]!);
    forgetUnlessListed(set, removed, next, idOf);
    changed?.push(removed);
    return true;
  }
  if (next.length === previous.length) {
    if (i === next.length) return true;
    for (let j = i + 1; j < next.length; j++) if (idOf(next[j]!) !== idOf(previous[j]!)) return false;
    const removed = idOf(previous[i]!);
    const added = idOf(next[i]!);
    forgetUnlessListed(set, removed, next, idOf);
    set.add(added);
    changed?.push(removed, added);
    return true;
  }
  return false;
}

/** A pool listing one id twice must not lose it from the set when one copy goes. */
function forgetUnlessListed<T>(set: Set<string>, id: string, next: readonly T[], idOf: (item: T) => string): void {
  for (const item of next) if (idOf(item) === id) return;
  set.delete(id);
}
