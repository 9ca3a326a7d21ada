import { errorMessage } from '../errors.ts';

/**
 * An inner run of a bench that did not pass: what it ended with, its first violations, and where
 * its history was kept, so the failure can be read (`tally check <history>`) rather than guessed.
 */
export class BenchRunFailed extends Error {
  constructor(
    readonly endReason: string,
    readonly violations: readonly string[],
    readonly history: string,
  ) {
    super(`harness run did not pass: ${endReason}, ${violations.length} violations`);
    this.name = 'BenchRunFailed';
  }
}

/** How many violations the failure line names (the history holds them all). */
const VIOLATIONS_NAMED = 3;

/**
 * The last line a bench prints when it fails: one JSON object, like a finished bench's, with
 * `failed` saying where and why, and what it had measured before.
 */
export function benchFailureLine(bench: string, where: Record<string, unknown>, error: unknown, measured: Record<string, unknown>): string {
  const failure =
    error instanceof BenchRunFailed
      ? {
          error: error.message,
          endReason: error.endReason,
          violations: error.violations.slice(0, VIOLATIONS_NAMED),
          history: error.history,
        }
      : { error: errorMessage(error) };
  return JSON.stringify({ bench, failed: { ...where, ...failure }, ...measured });
}
