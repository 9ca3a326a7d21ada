import type { AnyEvent } from '../history/events.ts';

/** How many events of a session (or of the run) a violation carries as context. */
export const RECENT_EVENTS = 12;

/**
 * How many of the run's last events are kept to draw that context from (page traffic is not
 * among them: see `foldEvent`). A session's recent events are the ones in this window
 * that name it: with 50 sessions interleaved that is still dozens each, and a session quiet for
 * longer than the window is shown with what the window has.
 */
export const RECENT_WINDOW = 1024;

/**
 * The run's last events, in one fixed array written round-robin. Appending is one store and one
 * increment; nothing per session is touched on the hot path (a lookup per event in a map of
 * sessions costs cache misses on every event). The copy, and the filtering by session, are paid
 * only when a violation is built.
 */
export class RecentEvents {
  readonly #slots: (AnyEvent | undefined)[];
  /** Each slot's session beside it, so finding a session's events reads one small array in order
   *  instead of following a pointer to every (long since cold) event. */
  readonly #sessions: (string | undefined)[];
  #next = 0;
  #full = false;

  constructor(private readonly capacity = RECENT_WINDOW) {
    this.#slots = new Array<AnyEvent | undefined>(capacity).fill(undefined);
    this.#sessions = new Array<string | undefined>(capacity).fill(undefined);
  }

  push(event: AnyEvent): void {
    this.#slots[this.#next] = event;
    this.#sessions[this.#next] = event.session;
    if (++this.#next === this.capacity) {
      this.#next = 0;
      this.#full = true;
    }
  }

  /** The last `count` events (of `session`, when given), oldest first. */
  last(count = RECENT_EVENTS, session?: string): AnyEvent[] {
    const found: AnyEvent[] = [];
    // Newest first: the slots before `next`, then (once wrapped) those from the end down to `next`.
    // Two plain ranges rather than an index taken modulo the capacity at every step: a session
    // that has left the window is searched through all of it.
    this.#collect(found, count, session, this.#next - 1, 0);
    if (this.#full) this.#collect(found, count, session, this.capacity - 1, this.#next);
    return found.reverse();
  }

  #collect(found: AnyEvent[], count: number, session: string | undefined, from: number, to: number): void {
    for (let slot = from; slot >= to && found.length < count; slot--) {
      if (session === undefined || this.#sessions[slot] === session) found.push(this.#slots[slot]!);
    }
  }
}
