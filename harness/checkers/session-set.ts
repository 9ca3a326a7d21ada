/**
 * Keeps a set of the pool's session ids equal to its latest list, reused rather than rebuilt:
 * settles are frequent and the set is long-lived.
 */
export function updateSessionSet(set: Set<string>, previous: readonly string[], next: readonly string[]): void {
  if (!applySingleChange(set, previous, next)) refill(set, next);
}

function refill(set: Set<string>, items: readonly string[]): void {
  set.clear();
  for (const item of items) set.add(item);
}

/**
 * Between two settles the pool's sessions usually differ by one added, removed or replaced id.
 * Comparing the lists in order is much cheaper than rehashing every id, so that case updates the
 * set in place; anything else returns false and the set is rebuilt.
 */
function applySingleChange(set: Set<string>, previous: readonly string[], next: readonly string[]): boolean {
  const common = Math.min(previous.length, next.length);
  let i = 0;
  while (i < common && previous[i] === next[i]) i++;
  if (next.length === previous.length + 1) {
    for (let j = i; j < previous.length; j++) if (previous[j] !== next[j + 1]) return false;
    set.add(next[i]!);
    return true;
  }
  if (next.length === previous.length - 1) {
    for (let j = i; j < next.length; j++) if (next[j] !== previous[j + 1]) return false;
    forgetUnlessListed(set, previous[i]!, next);
    return true;
  }
  if (next.length === previous.length) {
    if (i === next.length) return true;
    for (let j = i + 1; j < next.length; j++) if (next[j] !== previous[j]) return false;
    forgetUnlessListed(set, previous[i]!, next);
    set.add(next[i]!);
    return true;
  }
  return false;
}

/** A pool listing one id twice must not lose it from the set when one copy goes. */
function forgetUnlessListed(set: Set<string>, id: string, next: readonly string[]): void {
  if (!next.includes(id)) set.delete(id);
}
