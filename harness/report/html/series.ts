import type { AnyEvent } from '../../history/events.ts';

/**
 * What the charts of report.html plot, derived from the history alone. Each chart has one time
 * axis (scenario ms) and a value per series at each point; `null` where a series has no value yet
 * (the OS is sampled only on real drivers, the heap on its own interval).
 */
export interface RunSeries {
  /** The pool's counter and sessions (its `settle` snapshots) against the browsers alive (the driver's ground truth) and, on real drivers, the browsers the OS has processes for. */
  state: { t: number[]; counter: Nullable[]; sessions: Nullable[]; browsers: number[]; osBrowsers: Nullable[] };
  /** Memory in MB: what the driver accounts (`sample`), the PSS the OS measures (`os.sample`), the used heap after GC (`heap.sample`). */
  memory: { t: number[]; driverMB: Nullable[]; osMB: Nullable[]; heapMB: Nullable[] };
  /**
   * The storm: browser closes and watchdog fires per second. `t` starts each span of `spanS`
   * seconds (1, or more when the run is longer than MAX_POINTS seconds), the values are the
   * highest count within one second of the span, so a peak is never averaged away.
   */
  storm: { t: number[]; closes: number[]; watchdogs: number[]; spanS: number };
  /** Each job's latency (`job.end` ms) at its end, in the column of how it ended. */
  jobs: { t: number[]; okMs: Nullable[]; failedMs: Nullable[] };
  /** Scenario time of the last event. */
  endMs: number;
}

type Nullable = number | null;

/**
 * Points kept per chart. A soak's history changes state tens of thousands of times; a page that
 * plots a point per pixel column shows the same lines and stays small enough to attach to a CI run.
 */
export const MAX_POINTS = 3000;

/** The charts' series of a history held in memory. */
export function seriesFromHistory(events: Iterable<AnyEvent>): RunSeries {
  const fold = seriesFold();
  for (const event of events) fold.step(event);
  return fold.result();
}

/** Folds the history into the charts' series one event at a time, so a history too large to hold can be streamed through it. */
export function seriesFold(): { step(event: AnyEvent): void; result(): RunSeries } {
  const state = new Table(['counter', 'sessions', 'browsers', 'osBrowsers']);
  const memory = new Table(['driverMB', 'osMB', 'heapMB']);
  const jobs = new Table(['okMs', 'failedMs']);
  const closes = new PerSecond();
  const watchdogs = new PerSecond();
  const alive = new Set<string>();
  let endMs = 0;
  const step = (event: AnyEvent): void => {
    endMs = event.t;
    switch (event.kind) {
      case 'settle': {
        const { counter, sessions } = event.data as { counter?: number; sessions?: string[] };
        if (counter !== undefined) state.set(event.t, 'counter', counter);
        if (sessions !== undefined) state.set(event.t, 'sessions', sessions.length);
        break;
      }
      case 'browser.up':
      case 'browser.down': {
        const { browser } = event.data as { browser: string };
        if (event.kind === 'browser.up') alive.add(browser);
        else alive.delete(browser);
        state.set(event.t, 'browsers', alive.size);
        // Closes as the report's peak closes/s counts them: the pool's own, not crashes or kills.
        if (event.kind === 'browser.down' && (event.data as { cause: string }).cause === 'close') closes.add(event.t);
        break;
      }
      case 'pool.watchdog':
        watchdogs.add(event.t);
        break;
      case 'job.end': {
        const { ok, ms } = event.data as { ok: boolean; ms: number };
        jobs.set(event.t, ok ? 'okMs' : 'failedMs', ms, { carry: false });
        break;
      }
      case 'os.sample': {
        const { browsers, pssMB } = event.data as { browsers: unknown[]; pssMB: number };
        state.set(event.t, 'osBrowsers', browsers.length);
        memory.set(event.t, 'osMB', pssMB, { carry: false });
        break;
      }
      case 'sample':
        memory.set(event.t, 'driverMB', (event.data as { memoryMB: number }).memoryMB, { carry: false });
        break;
      case 'heap.sample':
        memory.set(event.t, 'heapMB', (event.data as { usedMB: number }).usedMB, { carry: false });
        break;
    }
  };
  const result = (): RunSeries => {
    const s = state.thinned(MAX_POINTS);
    const m = memory.thinned(MAX_POINTS);
    const j = jobs.thinned(MAX_POINTS);
    const spanS = Math.max(1, Math.ceil(endMs / 1000 / MAX_POINTS));
    const spans = Math.floor(endMs / 1000 / spanS) + 1;
    return {
      state: {
        t: s.t,
        counter: s.columns.counter!,
        sessions: s.columns.sessions!,
        // Nothing is alive before the first browser comes up: zero, not unknown.
        browsers: s.columns.browsers!.map((n) => n ?? 0),
        osBrowsers: s.columns.osBrowsers!,
      },
      memory: { t: m.t, driverMB: m.columns.driverMB!, osMB: m.columns.osMB!, heapMB: m.columns.heapMB! },
      storm: {
        t: Array.from({ length: spans }, (_, i) => i * spanS * 1000),
        closes: closes.peaks(spanS, spans),
        watchdogs: watchdogs.peaks(spanS, spans),
        spanS,
      },
      jobs: { t: j.t, okMs: j.columns.okMs!, failedMs: j.columns.failedMs! },
      endMs,
    };
  };
  return { step, result };
}

/** Occurrences per second of scenario time (`floor(t / 1000)`, as the report's peaks count them). */
class PerSecond {
  private readonly counts = new Map<number, number>();

  add(t: number): void {
    const second = Math.floor(t / 1000);
    this.counts.set(second, (this.counts.get(second) ?? 0) + 1);
  }

  /** The highest count of one second within each of `spans` spans of `spanS` seconds. */
  peaks(spanS: number, spans: number): number[] {
    const peaks = new Array<number>(spans).fill(0);
    for (const [second, count] of this.counts) {
      const span = Math.floor(second / spanS);
      if (span < spans && count > peaks[span]!) peaks[span] = count;
    }
    return peaks;
  }
}

/**
 * Columns over one time axis, one row per instant. A state (a counter) holds its value until it
 * changes, so a new row carries it forward; a sample is a measurement at its instant only.
 */
class Table {
  readonly t: number[] = [];
  readonly columns: Record<string, Nullable[]> = {};
  private readonly current: Record<string, Nullable> = {};
  private readonly carried: Set<string> = new Set();

  constructor(private readonly names: string[]) {
    for (const name of names) {
      this.columns[name] = [];
      this.current[name] = null;
    }
  }

  set(t: number, name: string, value: number, { carry = true } = {}): void {
    if (carry) this.carried.add(name);
    if (this.t.at(-1) !== t) {
      this.t.push(t);
      for (const column of this.names) this.columns[column]!.push(this.carried.has(column) ? this.current[column]! : null);
    }
    this.current[name] = value;
    const last = this.t.length - 1;
    this.columns[name]![last] = value;
  }

  /** At most `max` rows: the last row of each of `max` equal spans of time, so every step's final value is kept. */
  thinned(max: number): { t: number[]; columns: Record<string, Nullable[]> } {
    if (this.t.length <= max) return this;
    const from = this.t[0]!;
    const span = (this.t.at(-1)! - from) / (max - 1) || 1;
    const keep: number[] = [];
    for (let i = 0; i < this.t.length; i++) {
      const bucket = Math.floor((this.t[i]! - from) / span);
      const next = this.t[i + 1];
      if (next === undefined || Math.floor((next - from) / span) !== bucket) keep.push(i);
    }
    return {
      t: keep.map((i) => this.t[i]!),
      columns: Object.fromEntries(this.names.map((name) => [name, keep.map((i) => this.columns[name]![i]!)])),
    };
  }
}
