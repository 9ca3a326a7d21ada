/**
 * One clock for every timer of the pool, the driver, the nemesis and the runner, so a run can be
 * driven in virtual time (sim) or in real time (real browsers) by the same code.
 */
export type TimerId = number;

export interface Clock {
  /** Milliseconds since the run began. */
  now(): number;
  setTimeout(callback: () => void, ms: number, label?: string): TimerId;
  clearTimeout(id: TimerId | undefined): void;
  /** Timers set through this clock that have neither fired nor been cleared. */
  pendingTimers(): { id: TimerId; label: string }[];
}

/** Resolves after `ms` on `clock`; rejects with the signal's reason if aborted first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal, label = 'sleep'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimeout(id);
      reject(signal!.reason);
    };
    const id = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      ms,
      label,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A view of `clock` whose timers are tracked separately (so "the pool left a timer pending" can be
 * told apart from the driver's own timers) and whose firings are reported through `onFire`.
 */
export function ownedClock(clock: Clock, onFire?: (label: string) => void): Clock {
  const mine = new Map<TimerId, string>();
  return {
    now: () => clock.now(),
    setTimeout(callback, ms, label = 'timer') {
      const id = clock.setTimeout(
        () => {
          mine.delete(id);
          onFire?.(label);
          callback();
        },
        ms,
        label,
      );
      mine.set(id, label);
      return id;
    },
    clearTimeout(id) {
      if (id === undefined) return;
      mine.delete(id);
      clock.clearTimeout(id);
    },
    pendingTimers: () => [...mine].map(([id, label]) => ({ id, label })),
  };
}
