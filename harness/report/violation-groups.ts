import type { InvariantName, Violation } from '../checkers/violation.ts';

/**
 * Violations of one invariant made at one call site: one bug seen many times. The story's log had
 * 30 identical `legacy-pool.ts:116` lines; a report shows them as one group with its count.
 */
export interface ViolationGroup {
  invariant: InvariantName;
  /** The call site the group's violations share, null when they carry none. */
  at: string | null;
  count: number;
  /** Distinct sessions among them (a bug that strikes every job, or one job over and over). */
  sessions: number;
  /** The first violation of the group, with its full context. */
  first: Violation;
}

/** Groups `violations` by invariant and call site: the largest first, ties in the order first seen. */
export function groupViolations(violations: readonly Violation[]): ViolationGroup[] {
  const groups = new Map<string, ViolationGroup & { sessionIds: Set<string> }>();
  for (const violation of violations) {
    const key = `${violation.invariant}\u0000${violation.at ?? ''}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { invariant: violation.invariant, at: violation.at ?? null, count: 0, sessions: 0, first: violation, sessionIds: new Set() };
      groups.set(key, group);
    }
    group.count++;
    if (violation.session !== undefined) group.sessionIds.add(violation.session);
  }
  return [...groups.values()]
    .map(({ sessionIds, ...group }) => ({ ...group, sessions: sessionIds.size }))
    .sort((a, b) => b.count - a.count || a.first.seq - b.first.seq);
}
