/**
 * A pool's own bookkeeping, the one thing Tally reads from it (`inspect()`): a counter of what it
 * holds per job, the job ids it holds them for, and what the counter counts. `take` and `give` are
 * the only two places the counter moves, each reported with its path so a violation names it.
 */
import type { CountedLevel } from '../../../harness/history/events.ts';
import type { PoolEnv, PoolSnapshot } from '../../../harness/pool/contract.ts';

export class Slots {
  #counter = 0;
  readonly #sessions = new Set<string>();

  constructor(
    private readonly env: PoolEnv,
    private readonly counts: CountedLevel,
    /** Most slots at once; `take` beyond it throws: a pool that does not queue turns the job away. */
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {}

  /** Whether a slot is free now, for a pool that queues instead of turning the job away. */
  free(): boolean {
    return this.#counter < this.limit;
  }

  take(session: string, path = 'acquire'): void {
    if (!this.free()) throw new Error(`pool full (${this.limit} ${this.counts})`);
    this.#counter++;
    this.#sessions.add(session);
    this.env.report('pool.counter', session, { delta: 1, value: this.#counter, path });
  }

  give(session: string, path: string): void {
    this.#counter--;
    this.#sessions.delete(session);
    this.env.report('pool.counter', session, { delta: -1, value: this.#counter, path });
  }

  inspect(): PoolSnapshot {
    return { counter: this.#counter, counts: this.counts, sessions: [...this.#sessions], locks: [] };
  }
}
