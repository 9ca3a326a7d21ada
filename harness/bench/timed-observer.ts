import type { RunObserver } from '../observer/run-observer.ts';

export interface TimedObserver {
  /** The same observer, each of its calls timed. */
  readonly observer: RunObserver;
  /** Time spent inside its calls so far, less what timing them cost (ms). */
  ownMs(): number;
  /** The part of it spent in `close()`, once the run is over (ms). */
  closeMs(): number;
  /** What the timing itself cost (ms): the run's own time is the wall time less both. */
  timingMs(): number;
}

/**
 * Times every call of an observer inside a real run: `event` and `violation` one by one, `close`
 * (where telemetry makes and writes its spans) as a whole. Each timed section is preceded by an
 * identically timed empty one, whose cost is subtracted: the share that is left is the observer's
 * own, measured where it runs, between the run's work, with whatever GC its allocations bring on.
 */
export function timedObserver(inner: RunObserver): TimedObserver {
  let inside = 0;
  let timing = 0;
  let closing = 0;
  const time =
    <A, R>(call: (arg: A) => R) =>
    (arg: A): R => {
      let began = performance.now();
      timing += performance.now() - began;
      began = performance.now();
      const result = call(arg);
      inside += performance.now() - began;
      return result;
    };
  const observer: RunObserver = inner.wants === undefined ? {} : { wants: inner.wants };
  if (inner.event) observer.event = time(inner.event.bind(inner));
  if (inner.violation) observer.violation = time(inner.violation.bind(inner));
  const close = inner.close?.bind(inner);
  if (close) {
    observer.close = async (outDir) => {
      const began = performance.now();
      await close(outDir);
      const spent = performance.now() - began;
      closing += spent;
      inside += spent;
    };
  }
  return { observer, ownMs: () => inside - timing, closeMs: () => closing, timingMs: () => timing };
}

/**
 * The observers' own time as a share (%) of the rest of the run: all of it, or only what they take
 * while the run goes (`during`: every call but `close()`), which is what slows its events down.
 */
export function overheadPct(wallMs: number, timed: readonly TimedObserver[], part: 'all' | 'during' = 'all'): number {
  const own = timed.reduce((sum, t) => sum + t.ownMs(), 0);
  const timing = timed.reduce((sum, t) => sum + t.timingMs(), 0);
  const counted = part === 'all' ? own : own - timed.reduce((sum, t) => sum + t.closeMs(), 0);
  return (100 * counted) / (wallMs - own - timing);
}
