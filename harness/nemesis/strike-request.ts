import { z } from 'zod';
import { issueLines } from '../scenario/issues.ts';
import { DURATION_RULE, FaultFields, type FaultSpec, hasDuration } from '../scenario/schema.ts';
import type { StrikeFault } from './nemesis.ts';

/**
 * `POST /admin/faults`: strike one fault now. The fields are a scenario fault's, without its
 * timing (the caller decides when; its probability is the caller's roll), and `entry`: which fault
 * of the service's scenario the strike counts as, for coverage (absent: a strike of its own).
 * Unknown fields are refused, not ignored: a typo should not strike a different fault.
 */
export const StrikeRequestSchema = FaultFields.pick({ kind: true, target: true, forMs: true, op: true, afterWorking: true })
  .extend({ entry: z.number().int().nonnegative().optional() })
  .strict()
  .refine(hasDuration, DURATION_RULE);

export type StrikeRequest = z.output<typeof StrikeRequestSchema>;

/** The strike a request asks for, or the problem with it in one line naming the field. */
export function parseStrikeRequest(
  body: unknown,
): { ok: true; fault: StrikeFault; entry: number | undefined } | { ok: false; problem: string } {
  const parsed = StrikeRequestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, problem: issueLines(parsed.error, 'body').join('; ') };
  const { entry, ...fault } = parsed.data;
  return { ok: true, fault, entry };
}

/** The body that strikes the scenario's fault `entry` once, as the nemesis of the process holding the pool would. */
export function strikeRequestOf(fault: FaultSpec, entry: number): StrikeRequest {
  const { kind, target, forMs, op, afterWorking } = fault;
  return {
    kind,
    target,
    ...(forMs === undefined ? {} : { forMs }),
    ...(op === undefined ? {} : { op }),
    ...(afterWorking === undefined ? {} : { afterWorking }),
    entry,
  };
}
