import type { InvariantName } from '../checkers/violation.ts';

/**
 * Every invariant, in the order reports list them. `InvariantName` is only a type, so reports need
 * this runtime list to show a zero for the invariants that held; the check below fails to compile
 * when a name is added to the type and not here.
 */
export const INVARIANT_NAMES = [
  'counter-matches-sessions',
  'counter-within-bounds',
  'counter-matches-browsers',
  'lock-ownership',
  'single-release',
  'work-cancelled',
  'quiescence',
  'budget',
] as const satisfies readonly InvariantName[];

type Missing = Exclude<InvariantName, (typeof INVARIANT_NAMES)[number]>;
const everyNameListed: [Missing] extends [never] ? true : Missing = true;
void everyNameListed;

/** A count for every invariant, zero where `counts` has none. */
export function completeCounts(counts: Readonly<Partial<Record<InvariantName, number>>>): Record<InvariantName, number> {
  const complete = {} as Record<InvariantName, number>;
  for (const name of INVARIANT_NAMES) complete[name] = counts[name] ?? 0;
  return complete;
}
