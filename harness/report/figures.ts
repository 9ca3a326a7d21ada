import type { InvariantName, Violation } from '../checkers/violation.ts';
import { pageLeakLines } from '../heap/page-leaks.ts';
import type { AnyEvent, FaultKind } from '../history/events.ts';

/** A fault's span of virtual time; instantaneous faults have `toMs === fromMs`. */
export interface FaultWindow {
  fault: FaultKind;
  target: string;
  fromMs: number;
  toMs: number;
}

/** The measurements a run is judged and compared by: the story's before/after figures and their context. */
export interface Figures {
  /** Virtual time of the last event. */
  virtualMs: number;
  /** Wall-clock time of the last event. */
  wallMs: number;
  events: number;
  /**
   * Jobs that ended without success after an interrupt (`run.shutdown`) or once the shutdown fault
   * closed the pool (`interrupted`), or after their caller gave up on them (`abandoned`), are counted
   * apart from `failed`: the pool was told to stop them.
   */
  jobs: { started: number; ok: number; failed: number; interrupted: number; abandoned: number };
  /** Jobs that arrived while `maxBrowsers` jobs were already in the pool (started and not ended). */
  arrivalsAboveLimit: number;
  /** Jobs whose caller gave up (`job.abandon`) while the pool acquired for them, and while they worked. */
  abandons: { waiting: number; working: number };
  /**
   * Jobs started that never ended (`job.end`), the first `MAX_UNSETTLED_LISTED` of them by session:
   * what a run that ended at its deadline was still waiting for.
   */
  unsettledJobs: { count: number; sessions: string[] };
  /** Why the first failed job failed, null when none did: the likely reason when no job worked. */
  firstJobError: string | null;

  /** Drifts reported by `counter-matches-sessions` (the story's "counter mismatches"). */
  counterMismatches: number;
  counterMismatchesPer30Min: number;
  /** Virtual time of the first counter mismatch, null when there was none. */
  firstCounterMismatchMs: number | null;

  /** Sweeps that found at least one orphan lock. */
  lockSweeps: number;
  lockSweepsPer30Min: number;
  /** Orphan locks removed by all sweeps together. */
  orphanLocksSwept: number;

  /** Least-squares slope of sampled memory over virtual time; null when it cannot be fitted. */
  memoryGrowthMBPerHour: number | null;
  /** Highest sampled memory, null when nothing was sampled. */
  peakMemoryMB: number | null;
  /** Samples the memory slope was fitted on. */
  memorySamples: number;
  /** Virtual time of the first and last of those samples, null when none was fitted. */
  memoryWindowMs: TimeWindow | null;
  /**
   * Where the memory figures come from: the operating system's PSS of the run's processes
   * (`os.sample` on its interval, real drivers) when the run has any, else the driver's `sample`.
   */
  memorySource: 'os.sample' | 'sample';
  /**
   * Measured: slope of the used heap of the process that holds the pool, after a full GC
   * (`heap.sample`), from the end of the warm-up on; null when fewer than two samples. Real MB of the
   * Node heap: under the sim a leaked browser holds 1/1000 of what it accounts (SimMemory).
   */
  heapGrowthMBPerHour: number | null;
  peakHeapMB: number | null;
  heapSamples: number;
  heapWindowMs: TimeWindow | null;
  /**
   * Objects the pool still held once closed, of those it allocated between the baseline and target
   * heap snapshots (`heap.leaks`); null when no leak analysis ran or it failed.
   */
  leakedObjects: number | null;
  /** The leak analysis's top cluster, `count × retainer path from the pool`; null when none. */
  leakTop: string | null;
  /** Per browser page: what its heap snapshots show leaked, or why it was not analysed (`heap.pageLeaks`). */
  pageLeaks: string[];
  /** What the run's heap evidence lacks and why: a snapshot not taken or failed, a failed analysis. */
  heapMissing: string[];
  /** Most browsers alive at once (ground truth). */
  peakBrowsers: number;

  /** Most browser closes within one second of virtual time (the watchdog storm's footprint). */
  peakClosesPerSecond: number;
  /** Start of the second in which that peak happened, null when nothing closed. */
  peakClosesAtMs: number | null;
  /** Most watchdog firings within one second of virtual time. */
  peakWatchdogsPerSecond: number;
  peakWatchdogsAtMs: number | null;

  /** Counter decrements by the code path that made them: more than one path is the story's bug. */
  decrementsByPath: Record<string, number>;

  /** The first `MAX_FAULT_WINDOWS` faults, in the order they began. */
  faultWindows: FaultWindow[];
  /** Every fault that began, including those past the cap. */
  faultCount: number;
  /** Strikes that found no working session (`fault.missed`): a fault timed before any job worked. */
  faultsMissed: number;
  /** Per fault of the scenario (by its index, `entry`): strikes made, strikes that found no working session, strikes never due. */
  faultEntries: FaultEntryFigures[];
}

/** A span of virtual time, both ends included. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface FaultEntryFigures {
  fault: FaultKind | null;
  struck: number;
  missed: number;
  /** Still waiting for working sessions when a service was stopped (`fault.pending`): never due, counted neither way. */
  pending: number;
}

export interface FiguresOptions {
  /**
   * Memory samples taken before this virtual time are left out of the growth slope (they still
   * count for the peak). Filling the pool at the start is not a leak, but on a short run it would
   * dominate a least-squares fit; the default 0 fits every sample.
   */
  memoryFromMs?: number;
}

export interface FiguresAccumulator {
  step(event: AnyEvent): void;
  /** The figures so far; may be called more than once (e.g. for progress), each call is a fresh copy. */
  result(violationCounts: Readonly<Partial<Record<InvariantName, number>>>, violations: readonly Violation[]): Figures;
}

/** Enough to name the jobs a run waited for in vain; the count says how many more. */
export const MAX_UNSETTLED_LISTED = 20;

/** Enough to show where faults struck without letting a long chaotic run bloat the report. */
export const MAX_FAULT_WINDOWS = 200;

const MS_PER_30_MIN = 1_800_000;
const MS_PER_HOUR = 3_600_000;

/**
 * Folds events one at a time into the figures. Constant work per event and no allocation except
 * for a new decrement path or a new fault window, so the runner can call it on every event, and the
 * same code reproduces the figures from a saved history. Events are expected in history order
 * (non-decreasing `t`), which per-second peaks rely on.
 */
export function createFigures(options: FiguresOptions = {}): FiguresAccumulator {
  const memoryFromMs = options.memoryFromMs ?? 0;

  let events = 0;
  let virtualMs = 0;
  let wallMs = 0;
  let jobsStarted = 0;
  let jobsOk = 0;
  let jobsFailed = 0;
  let jobsInterrupted = 0;
  let jobsAbandoned = 0;
  /** Sessions of the jobs started and not yet ended, in the order they started. */
  const openJobs = new Set<string>();
  let shuttingDown = false;
  let maxBrowsers = Number.POSITIVE_INFINITY;
  let arrivalsAboveLimit = 0;
  const abandons = { waiting: 0, working: 0 };
  /** Abandoned jobs not yet ended: few at a time. */
  const abandoned = new Set<string>();
  let lockSweeps = 0;
  let orphanLocksSwept = 0;
  let browsersAlive = 0;
  let peakBrowsers = 0;
  const closes = createPeakPerSecond();
  const watchdogs = createPeakPerSecond();
  const driverMemory = createMemorySeries(memoryFromMs);
  const osMemory = createMemorySeries(memoryFromMs);
  const heap = createMemorySeries(memoryFromMs);
  const decrementsByPath = new Map<string, number>();
  const faultWindows: FaultWindow[] = [];
  /** Windows still waiting for their `fault.end`, by fault id. */
  const openFaults = new Map<number, FaultWindow>();
  let faultCount = 0;
  let faultsMissed = 0;
  let firstJobError: string | null = null;
  let leakedObjects: number | null = null;
  let leakTop: string | null = null;
  const heapMissing: string[] = [];
  let pageLeaks: string[] = [];
  const faultEntries: FaultEntryFigures[] = [];
  const entryFigures = (entry: number): FaultEntryFigures => {
    while (faultEntries.length <= entry) faultEntries.push({ fault: null, struck: 0, missed: 0, pending: 0 });
    return faultEntries[entry]!;
  };

  function step(event: AnyEvent): void {
    events++;
    virtualMs = event.t;
    wallMs = event.wall;
    switch (event.kind) {
      case 'run.start': {
        const max = event.data.pool_config.maxBrowsers;
        if (typeof max === 'number') maxBrowsers = max;
        break;
      }
      case 'job.start':
        // The jobs in the pool before this one: started and not yet ended.
        if (openJobs.size >= maxBrowsers) arrivalsAboveLimit++;
        jobsStarted++;
        if (event.session !== undefined) openJobs.add(event.session);
        break;
      case 'run.shutdown':
        shuttingDown = true;
        break;
      case 'pool.close':
        if (event.data.by === 'fault') shuttingDown = true;
        break;
      case 'job.abandon':
        if (event.data.working) abandons.working++;
        else abandons.waiting++;
        if (event.session !== undefined) abandoned.add(event.session);
        break;
      case 'job.end':
        if (event.session !== undefined) openJobs.delete(event.session);
        if (event.data.ok) jobsOk++;
        else if (event.session !== undefined && abandoned.has(event.session)) jobsAbandoned++;
        else if (shuttingDown) jobsInterrupted++;
        else {
          jobsFailed++;
          firstJobError ??= event.data.error ?? 'failed';
        }
        if (event.session !== undefined) abandoned.delete(event.session);
        break;
      case 'browser.up':
        browsersAlive++;
        if (browsersAlive > peakBrowsers) peakBrowsers = browsersAlive;
        break;
      case 'browser.down':
        browsersAlive--;
        if (event.data.cause === 'close') closes.add(event.t);
        break;
      case 'pool.watchdog':
        watchdogs.add(event.t);
        break;
      case 'pool.sweep':
        if (event.data.swept >= 1) {
          lockSweeps++;
          orphanLocksSwept += event.data.swept;
        }
        break;
      case 'pool.counter':
        if (event.data.delta === -1) {
          decrementsByPath.set(event.data.path, (decrementsByPath.get(event.data.path) ?? 0) + 1);
        }
        break;
      case 'sample':
        driverMemory.add(event.t, event.data.memoryMB, true);
        break;
      case 'os.sample':
        // Samples taken because a browser came or went cluster where the pool churns, and the
        // quiescent one is taken after close: only the regular ones are fitted.
        osMemory.add(event.t, event.data.pssMB, event.data.reason === 'interval');
        break;
      case 'heap.sample':
        heap.add(event.t, event.data.usedMB, true);
        break;
      case 'heap.snapshot':
        if (event.data.error !== undefined) heapMissing.push(`${event.data.point} heap snapshot failed: ${event.data.error}`);
        else if (event.data.skipped !== undefined) heapMissing.push(`${event.data.point} heap snapshot not taken: ${event.data.skipped}`);
        break;
      case 'heap.pageLeaks':
        pageLeaks = pageLeakLines(event.data);
        break;
      case 'heap.leaks':
        if (event.data.error !== undefined) heapMissing.push(`no leak analysis: ${event.data.error}`);
        leakedObjects = event.data.leakedObjects ?? null;
        leakTop = event.data.top ?? null;
        break;
      case 'fault.missed':
      case 'fault.pending':
        if (event.kind === 'fault.missed') faultsMissed++;
        if (event.data.entry !== undefined) {
          const entry = entryFigures(event.data.entry);
          entry.fault = event.data.fault;
          entry[event.kind === 'fault.missed' ? 'missed' : 'pending']++;
        }
        break;
      case 'fault.start': {
        faultCount++;
        if (event.data.entry !== undefined && event.data.strike !== undefined) {
          // The targets of one strike share its number: the entry's strikes are the highest seen.
          const entry = entryFigures(event.data.entry);
          entry.fault = event.data.fault;
          entry.struck = Math.max(entry.struck, event.data.strike);
        }
        if (faultWindows.length >= MAX_FAULT_WINDOWS) break;
        const { fault, target, forMs } = event.data;
        // Until (unless) its end is seen, a windowed fault lasts `forMs`; one without is instantaneous.
        const window: FaultWindow = { fault, target, fromMs: event.t, toMs: event.t + (forMs ?? 0) };
        faultWindows.push(window);
        openFaults.set(event.data.id, window);
        break;
      }
      case 'fault.end': {
        const window = openFaults.get(event.data.id);
        if (window) {
          window.toMs = event.t;
          openFaults.delete(event.data.id);
        }
        break;
      }
    }
  }

  function result(violationCounts: Readonly<Partial<Record<InvariantName, number>>>, violations: readonly Violation[]): Figures {
    const counterMismatches = violationCounts['counter-matches-sessions'] ?? 0;
    const memory = osMemory.fitted() > 0 ? osMemory : driverMemory;
    const firstMismatch = violations.find((v) => v.invariant === 'counter-matches-sessions');
    return {
      virtualMs,
      wallMs,
      events,
      jobs: { started: jobsStarted, ok: jobsOk, failed: jobsFailed, interrupted: jobsInterrupted, abandoned: jobsAbandoned },
      unsettledJobs: { count: openJobs.size, sessions: firstOf(openJobs, MAX_UNSETTLED_LISTED) },
      arrivalsAboveLimit,
      abandons: { ...abandons },
      firstJobError,
      counterMismatches,
      counterMismatchesPer30Min: per30Min(counterMismatches, virtualMs),
      firstCounterMismatchMs: firstMismatch ? firstMismatch.t : null,
      lockSweeps,
      lockSweepsPer30Min: per30Min(lockSweeps, virtualMs),
      orphanLocksSwept,
      memoryGrowthMBPerHour: memory.slope(),
      peakMemoryMB: memory.peak(),
      memorySamples: memory.fitted(),
      memoryWindowMs: memory.window(),
      memorySource: memory === osMemory ? 'os.sample' : 'sample',
      heapGrowthMBPerHour: heap.slope(),
      peakHeapMB: heap.peak(),
      heapSamples: heap.fitted(),
      heapWindowMs: heap.window(),
      leakedObjects,
      leakTop,
      pageLeaks,
      heapMissing: [...heapMissing],
      peakBrowsers,
      peakClosesPerSecond: closes.peak(),
      peakClosesAtMs: closes.peakAtMs(),
      peakWatchdogsPerSecond: watchdogs.peak(),
      peakWatchdogsAtMs: watchdogs.peakAtMs(),
      decrementsByPath: Object.fromEntries(decrementsByPath),
      faultWindows: faultWindows.map((w) => ({ ...w })),
      faultCount,
      faultsMissed,
      faultEntries: faultEntries.map((entry) => ({ ...entry })),
    };
  }

  return { step, result };
}

function firstOf<T>(items: Iterable<T>, n: number): T[] {
  const first: T[] = [];
  for (const item of items) {
    if (first.length >= n) break;
    first.push(item);
  }
  return first;
}

/** `count` scaled to a rate per 30 minutes of virtual time, the story's unit. */
function per30Min(count: number, virtualMs: number): number {
  return virtualMs > 0 ? count / (virtualMs / MS_PER_30_MIN) : 0;
}

/** The largest number of occurrences within one 1-second bucket (`floor(t / 1000)`), for time-ordered input. */
function createPeakPerSecond() {
  let bucket = -1;
  let inBucket = 0;
  let peak = 0;
  let peakBucket = -1;
  return {
    add(t: number): void {
      const b = Math.floor(t / 1000);
      if (b !== bucket) {
        bucket = b;
        inBucket = 0;
      }
      inBucket++;
      if (inBucket > peak) {
        peak = inBucket;
        peakBucket = b;
      }
    },
    peak: (): number => peak,
    peakAtMs: (): number | null => (peakBucket < 0 ? null : peakBucket * 1000),
  };
}

/** One source of memory samples: its peak, and the slope fitted on the samples from `fromMs` on. */
function createMemorySeries(fromMs: number) {
  let peak: number | null = null;
  let window: TimeWindow | null = null;
  const fit = createLeastSquares();
  return {
    add(t: number, mb: number, fitted: boolean): void {
      if (peak === null || mb > peak) peak = mb;
      if (!fitted || t < fromMs) return;
      fit.add(t / MS_PER_HOUR, mb);
      if (window === null) window = { fromMs: t, toMs: t };
      else window.toMs = t;
    },
    peak: (): number | null => peak,
    fitted: (): number => fit.count(),
    window: (): TimeWindow | null => (window === null ? null : { ...window }),
    slope: (): number | null => fit.slope(),
  };
}

/**
 * Ordinary least-squares slope, updated online with Welford's co-moments rather than raw sums of
 * squares, which lose precision when x (hours) is large and the spread small.
 */
function createLeastSquares() {
  let n = 0;
  let meanX = 0;
  let meanY = 0;
  let coMomentXY = 0;
  let momentXX = 0;
  return {
    add(x: number, y: number): void {
      n++;
      const dx = x - meanX;
      meanX += dx / n;
      meanY += (y - meanY) / n;
      coMomentXY += dx * (y - meanY);
      momentXX += dx * (x - meanX);
    },
    count: (): number => n,
    /** Null with fewer than two points or when every point has the same x: no line is defined. */
    slope: (): number | null => (n < 2 || momentXX <= 0 ? null : coMomentXY / momentXX),
  };
}
