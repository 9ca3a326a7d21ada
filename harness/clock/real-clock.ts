import type { Clock, TimerId } from './clock.ts';

/**
 * Real time, read in scenario time: one scenario ms lasts `timeScale` real ms. A scenario written
 * for 30 minutes with a 5-minute watchdog plays in 30 s at 1/60, and the pool, the nemesis and the
 * figures all keep reading scenario times; only the browsers and the network run at their own pace.
 */
export class RealClock implements Clock {
  readonly #origin = performance.now();
  readonly #timers = new Map<TimerId, { handle: NodeJS.Timeout; label: string }>();
  #nextId = 1;

  constructor(readonly timeScale = 1) {
    if (!(timeScale > 0 && timeScale <= 1)) throw new RangeError(`timeScale must be in (0, 1], got ${timeScale}`);
  }

  now(): number {
    return (performance.now() - this.#origin) / this.timeScale;
  }

  setTimeout(callback: () => void, ms: number, label = 'timer'): TimerId {
    const id = this.#nextId++;
    const handle = setTimeout(() => {
      this.#timers.delete(id);
      callback();
    }, Math.max(0, ms) * this.timeScale);
    this.#timers.set(id, { handle, label });
    return id;
  }

  clearTimeout(id: TimerId | undefined): void {
    if (id === undefined) return;
    const timer = this.#timers.get(id);
    if (!timer) return;
    clearTimeout(timer.handle);
    this.#timers.delete(id);
  }

  pendingTimers(): { id: TimerId; label: string }[] {
    return [...this.#timers].map(([id, { label }]) => ({ id, label }));
  }

  /** Clear every timer: the run is over and nothing of it may keep the process alive. */
  dispose(): void {
    for (const { handle } of this.#timers.values()) clearTimeout(handle);
    this.#timers.clear();
  }
}
