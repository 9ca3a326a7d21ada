import type { Clock, TimerId } from '../clock/clock.ts';
import type { Random } from '../random.ts';
import type { FaultSpec } from '../scenario/schema.ts';

/** What a fault's time coming did: it struck now, or it waits (for working sessions) and says when it struck through `struckLate`. */
export type FireOutcome = 'struck' | 'waiting';

/**
 * When the scenario's faults strike: each at its time (`at`) or every `every` ms from `from` to
 * `until`, each time with its probability (seeded). What a strike does is the caller's: the
 * nemesis in the process that holds the pool, or `tally load` asking a running service over its
 * admin channel. One schedule for both, so both play a scenario's faults the same way.
 */
export class FaultSchedule {
  readonly #timers = new Set<TimerId>();
  #stopped = false;

  constructor(
    private readonly faults: readonly FaultSpec[],
    private readonly deps: {
      clock: Clock;
      random: Random;
      /** No repeat is scheduled past this (scenario) time. */
      durationMs: number;
      /** The fault at `index` in the list strikes now (its probability already rolled). */
      fire: (index: number) => FireOutcome;
    },
  ) {}

  start(): void {
    for (const [index, fault] of this.faults.entries()) this.#schedule(index, fault.at ?? fault.from + fault.every!);
  }

  stop(): void {
    this.#stopped = true;
    for (const id of this.#timers) this.deps.clock.clearTimeout(id);
    this.#timers.clear();
  }

  /** A strike that waited has struck: a repeating fault's next strike is timed from now. */
  struckLate(index: number): void {
    this.#scheduleNext(index);
  }

  #schedule(index: number, at: number): void {
    const { clock } = this.deps;
    const id = clock.setTimeout(
      () => {
        this.#timers.delete(id);
        if (!this.#stopped) this.#due(index);
      },
      at - clock.now(),
      `fault:${this.faults[index]!.kind}`,
    );
    this.#timers.add(id);
  }

  #due(index: number): void {
    if (this.deps.random.next() >= this.faults[index]!.probability) return this.#scheduleNext(index);
    if (this.deps.fire(index) === 'struck') this.#scheduleNext(index);
  }

  #scheduleNext(index: number): void {
    if (this.#stopped) return;
    const { every, until } = this.faults[index]!;
    const next = this.deps.clock.now() + (every ?? Infinity);
    if (every !== undefined && next <= (until ?? this.deps.durationMs)) this.#schedule(index, next);
  }
}
