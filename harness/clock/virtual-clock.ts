import type { Clock, TimerId } from './clock.ts';

interface Timer {
  id: TimerId;
  at: number;
  callback: () => void;
  label: string;
}

/**
 * Virtual time: timers fire in (time, creation) order when the runner asks, so a 24-hour soak
 * takes seconds and a seed always gives the same interleaving. Nothing advances on its own.
 */
export class VirtualClock implements Clock {
  #now = 0;
  #nextId = 1;
  /** Binary min-heap on (at, id); cleared timers are dropped lazily when they reach the top. */
  #heap: Timer[] = [];
  #live = new Map<TimerId, Timer>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number, label = 'timer'): TimerId {
    const timer: Timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), callback, label };
    this.#live.set(timer.id, timer);
    this.#push(timer);
    return timer.id;
  }

  clearTimeout(id: TimerId | undefined): void {
    if (id !== undefined) this.#live.delete(id);
  }

  pendingTimers(): { id: TimerId; label: string }[] {
    return [...this.#live.values()].map(({ id, label }) => ({ id, label }));
  }

  /** Time of the earliest pending timer, if any. */
  nextTime(): number | undefined {
    this.#dropCleared();
    return this.#heap[0]?.at;
  }

  /** Advance to the earliest pending timer and run it. Returns false when none is pending. */
  fireNext(): boolean {
    this.#dropCleared();
    const timer = this.#pop();
    if (!timer) return false;
    this.#live.delete(timer.id);
    this.#now = timer.at;
    timer.callback();
    return true;
  }

  #dropCleared(): void {
    while (this.#heap.length > 0 && !this.#live.has(this.#heap[0]!.id)) this.#pop();
  }

  #before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.id < b.id);
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): Timer | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < heap.length && this.#before(heap[l]!, heap[least]!)) least = l;
      if (r < heap.length && this.#before(heap[r]!, heap[least]!)) least = r;
      if (least === i) return top;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  }
}

/**
 * Resolves once every pending promise continuation has run: `setImmediate` callbacks run only
 * after the microtask queue is empty, and the simulation does no real I/O.
 */
export function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
