import type { Violation } from '../checkers/violation.ts';

/** Number and time formatting shared by the Markdown report, the compare table and budget messages. */

/** Virtual time as `hh:mm:ss.mmm` (hours keep counting past 24: runs are measured from their start). */
export function formatVirtualTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}`;
}

/** A rate with exactly one decimal (`47.0`, `0.0`); `-` when it could not be measured. */
export function formatRate(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '-';
  const fixed = value.toFixed(1);
  // -0.04 rounds to "-0.0", which reads like a finding; it is nothing.
  return fixed === '-0.0' ? '0.0' : fixed;
}

/** A number as short as it can be without losing more than one decimal (`50`, `412.5`); `-` for none. */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '-';
  const rounded = Math.round(value * 10) / 10;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Strikes a stopped service never made: not a gap, but worth a line so the counts add up. */
export function pendingStrikesLine(pending: number): string {
  return `${pending} strike${pending === 1 ? ' was' : 's were'} still waiting for working sessions when the run stopped: never due, counted neither way`;
}

/** Said in the report and by `tally run`: a fault that struck nothing is a scenario that tested less than it says. */
export function missedFaultsLine(missed: number): string {
  return `${missed} fault strike${missed === 1 ? '' : 's'} found no working session and struck nothing (a fault timed before any job was working?)`;
}

/** `[counter-matches-sessions] counter(3) < sessions(4) at pool.ts:88:7 (release)`: a violation in one line, as the commands print it. */
export function violationLine(violation: Violation): string {
  return `[${violation.invariant}] ${violation.message}${violation.at ? ` at ${violation.at}` : ''}`;
}
