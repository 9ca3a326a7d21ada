import type { AnyEvent } from '../history/events.ts';

/** How many events of a session (or of the run) a violation carries as context. */
export const RECENT_EVENTS = 12;

/**
 * The last few events, in a fixed array written round-robin: appending is one store and one
 * increment on every event, and the copy in order is paid only when a violation is built.
 */
export class RecentEvents {
  readonly #slots: (AnyEvent | undefined)[] = new Array<AnyEvent | undefined>(RECENT_EVENTS).fill(undefined);
  #next = 0;
  #full = false;

  push(event: AnyEvent): void {
    this.#slots[this.#next] = event;
    if (++this.#next === RECENT_EVENTS) {
      this.#next = 0;
      this.#full = true;
    }
  }

  /** Oldest first. */
  toArray(): AnyEvent[] {
    const ordered: AnyEvent[] = [];
    const start = this.#full ? this.#next : 0;
    const size = this.#full ? RECENT_EVENTS : this.#next;
    for (let i = 0; i < size; i++) ordered.push(this.#slots[(start + i) % RECENT_EVENTS]!);
    return ordered;
  }
}
