import type { Violation } from '../checkers/violation.ts';
import type { RunObserver } from '../observer/run-observer.ts';

/** Violations kept for `GET /violations`: the first ones in full, the rest counted (a long run can find thousands). */
const KEPT = 1_000;

export class ViolationLog implements RunObserver {
  readonly kept: Violation[] = [];
  count = 0;

  violation(violation: Violation): void {
    this.count++;
    if (this.kept.length < KEPT) this.kept.push(violation);
  }
}
