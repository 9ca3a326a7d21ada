/**
 * The listener surface Playwright's Browser, BrowserContext and Page share (`on`, `once`, `off`,
 * `removeListener`), in one place for every driver object. A pool written against Playwright adds
 * a `disconnected` listener per job and removes it when the job ends; the driver must let it.
 *
 * Listeners are kept per object and allocated on first use: a soak makes hundreds of thousands of
 * pages, most of which nobody listens to.
 */
type Listener = (...args: never[]) => unknown;

interface Entry {
  listener: Listener;
  once: boolean;
}

/** What delivering an event did: how many listeners were called, and when their promises settled. */
export interface Delivery {
  listeners: number;
  settled: Promise<void> | undefined;
}

export class Emitter<Event extends string> {
  #listeners: Map<Event, Entry[]> | undefined;

  on(event: Event, listener: Listener): this {
    return this.#add(event, listener, false);
  }

  once(event: Event, listener: Listener): this {
    return this.#add(event, listener, true);
  }

  off(event: Event, listener: Listener): this {
    const entries = this.#listeners?.get(event);
    if (entries === undefined) return this;
    // As Node's EventEmitter: the most recently added registration of that function goes.
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i]?.listener !== listener) continue;
      entries.splice(i, 1);
      break;
    }
    return this;
  }

  removeListener(event: Event, listener: Listener): this {
    return this.off(event, listener);
  }

  /** Listeners registered now, over every event: what a pool still holds on this object. */
  listenerCount(): number {
    let count = 0;
    for (const entries of this.#listeners?.values() ?? []) count += entries.length;
    return count;
  }

  /**
   * Call every listener of `event` with `arg`, in the order they were added. A listener that throws
   * or rejects is the pool's bug and must not take the driver down. Returns how many were called
   * and, when some returned a promise, one that settles once they all have: until then the
   * event is still being handled.
   */
  protected deliver(event: Event, arg: unknown): Delivery {
    const entries = this.#listeners?.get(event);
    if (entries === undefined || entries.length === 0) return { listeners: 0, settled: undefined };
    const called = [...entries];
    this.#listeners?.set(
      event,
      entries.filter((entry) => !entry.once),
    );
    const pending: Promise<unknown>[] = [];
    for (const { listener } of called) {
      try {
        const result = (listener as (arg: unknown) => unknown)(arg);
        if (result instanceof Promise) pending.push(result);
      } catch {
        // Swallowed on purpose: see above.
      }
    }
    const settled = pending.length === 0 ? undefined : Promise.allSettled(pending).then(() => undefined);
    return { listeners: called.length, settled };
  }

  #add(event: Event, listener: Listener, once: boolean): this {
    this.#listeners ??= new Map();
    const entries = this.#listeners.get(event);
    if (entries === undefined) this.#listeners.set(event, [{ listener, once }]);
    else entries.push({ listener, once });
    return this;
  }
}
