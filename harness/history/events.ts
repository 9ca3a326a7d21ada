/**
 * The history: one ordered stream of typed events, the only interface between stages.
 * Drivers, the pool, the clock, the nemesis and the runner emit; checkers, reports and
 * telemetry read. Every kind and its payload is listed here and in docs/events.md.
 */

/** A pool's own bookkeeping, as `inspect()` returns it. */
/** A span of another process (hex ids, as W3C `traceparent` carries them). */
export interface TraceParent {
  traceId: string;
  spanId: string;
}

export interface PoolSnapshot {
  counter: number;
  /**
   * What the counter counts, one per session: a browser per job (the default), a context per job
   * or a page per job (in browsers the jobs share). The checkers compare the counter with the
   * driver's live objects of that kind.
   */
  counts?: CountedLevel;
  /** Ids of the sessions the pool believes are live. */
  sessions: readonly string[];
  /** Locks the pool holds, by session, with their number of holders. */
  locks: readonly LockEntry[];
}

export const COUNTED_LEVELS = ['browsers', 'contexts', 'pages'] as const;
export type CountedLevel = (typeof COUNTED_LEVELS)[number];

export interface LockEntry {
  session: string;
  holders: number;
}

export type DriverOp = 'launch' | 'newContext' | 'newPage' | 'goto' | 'evaluate' | 'close';
/** A job's page traffic: most of a run's driver calls, and none of them launches, opens or closes anything. */
export type PageTrafficOp = 'goto' | 'evaluate';

export function isPageTraffic(op: DriverOp): op is PageTrafficOp {
  return op === 'goto' || op === 'evaluate';
}

/** A driver call or return of page traffic: what the recorder need not hand a listener that passes it over. */
export function isPageTrafficEvent(event: AnyEvent): boolean {
  return (event.kind === 'driver.call' || event.kind === 'driver.return') && isPageTraffic(event.data.op);
}
/** What the target site can answer a browser's next page with instead of the page (a bad day of the real site). */
export const BAD_PAGE_KINDS = ['reset', 'serverError', 'challenge'] as const;
export type BadPageKind = (typeof BAD_PAGE_KINDS)[number];
export const FAULT_KINDS = [
  'stall',
  'crash',
  'pageCrash',
  'hang',
  'throw',
  'slowClose',
  'launchFail',
  'shutdown',
  ...BAD_PAGE_KINDS,
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface EventData {
  /** The run begins; everything needed to replay it. */
  'run.start': {
    scenario: string;
    pool: string;
    driver: string;
    seed: number;
    durationMs: number;
    pool_config: Record<string, unknown>;
    /** Real ms per scenario ms: 1 under sim (virtual time); below 1 when a real-browser run is compressed. */
    timeScale: number;
    /** Real drivers: unique id of this run; every browser process it starts carries it (TALLY_RUN in its environment). */
    runId?: string;
    /** What the run must show to pass beyond its invariants, so that `tally check` judges the history as the run did. */
    expects?: RunExpectations;
  };
  /**
   * The run was interrupted: no job starts from here on, the pool is closed and the harness tears
   * the world down. Invariants are judged up to this event, not against the tear-down.
   */
  'run.shutdown': { reason: 'interrupted' };
  /** All jobs settled and `pool.close()` returned: what the pool still holds is a leak. */
  'run.quiescent': { pendingTimers: number; timerLabels: string[] };
  /**
   * `pool.close()` was called: by the runner once every job settled (`run`), or mid-run while jobs
   * work (`fault`, the shutdown fault). It is called once a run; the runner's close waits for the fault's.
   */
  'pool.close': { by: 'run' | 'fault' };
  /**
   * `pool.close()` returned (or threw: `error`). From here on no job may work or use a browser:
   * the invariants stay on and judge the closed pool.
   */
  'pool.closed': { ok: boolean; error?: string };
  /** The run is over; `reason` says why it stopped. */
  'run.end': { reason: 'done' | 'deadline' | 'interrupted' | 'error'; jobsRunning: number; error?: string };

  /** A job is handed to `pool.run(job)`. `session` is the job id. */
  /** `trace`: the W3C trace context of the request that asked for the job (`tally serve`): its span is the job's parent. */
  'job.start': { pages: number; trace?: TraceParent };
  /**
   * The pool called `job.work(page, signal)`: the job works on `page` (its id), which lives in
   * `browser`; `listeners`: the listeners the pool has on that browser at that moment.
   */
  'job.work': { browser: string; page?: string; listeners?: number };
  /** The job's work function settled (it may outlive its job: that is a bug). */
  'job.work.end': { ok: boolean; error?: string; pagesDone: number };
  /**
   * The job's caller gave up on it and aborted `job.signal`: while the pool was still acquiring for
   * it (`working: false`, it waited for a slot or its browser) or while its work ran.
   */
  'job.abandon': { working: boolean };
  /** `pool.run(job)` settled. */
  'job.end': { ok: boolean; error?: string; ms: number };

  /** A driver method was called. `target` is the browser, context or page id (b3, b3/c1, b3/p1). */
  'driver.call': { op: DriverOp; target: string; url?: string };
  /**
   * A driver method settled; `call` is the seq of its `driver.call`. `created`: the id of the
   * context or page a `newContext` or `newPage` opened.
   */
  'driver.return': { op: DriverOp; target: string; call: number; ok: boolean; error?: string; created?: string };
  /** Ground truth: a browser became alive. */
  'browser.up': { browser: string; memoryMB: number; pid?: number };
  /** Ground truth: a browser is gone. */
  'browser.down': { browser: string; cause: 'close' | 'crash' | 'kill' };
  /**
   * The driver called every `disconnected` listener the pool had on `browser` (`listeners` of
   * them) and what they returned settled: the pool has handled the browser going down.
   */
  'browser.handled': { browser: string; listeners: number };
  /** Ground truth: a page's renderer died (Playwright's `crash` event); its browser lives on. */
  'page.crash': { page: string; browser: string };

  /** The pool changed its counter (reported by the pool). `path` names the code path. */
  'pool.counter': { delta: 1 | -1; value: number; path: string };
  /**
   * A lock was attached to or released from a session (reported by the pool); the event's session
   * is the lock's. `by`: the session whose code did it, when not the lock's own (a late release by
   * a previous holder of a lock keyed by what it guards).
   */
  'pool.lock': { op: 'attach' | 'release'; holders: number; by?: string };
  /** The pool swept orphan locks; `removed` names the sessions whose locks it deleted. */
  'pool.sweep': { swept: number; locks: number; activeOps: number; removed?: string[] };
  /** The pool's watchdog fired for a session. */
  'pool.watchdog': { afterMs: number };
  /** Free-form pool remark (e.g. a skipped second release). */
  'pool.note': { message: string };

  /** A timer set through the clock by the pool, nemesis or runner fired. */
  'timer.fire': { owner: string; label: string };
  /** A fault began (and, for windowed faults, when it ends `fault.end`). */
  'fault.start': {
    fault: FaultKind;
    id: number;
    target: string;
    forMs?: number;
    /** Index of the fault in the scenario's list (`run.start` expects), and which of its strikes this is (from 1; shared by the targets of one strike). */
    entry?: number;
    strike?: number;
  };
  'fault.end': { fault: FaultKind; id: number; target: string };
  /** A fault's time came and no session was working: nothing was struck (a fault timed before the first launch ends). */
  'fault.missed': { fault: FaultKind; entry?: number };
  /**
   * A strike still waiting for working sessions (`afterWorking`) when a run without an end (a
   * service) was stopped: not yet due, so neither struck nor missed.
   */
  'fault.pending': { fault: FaultKind; entry?: number };

  /**
   * A settled point: all work that could run has run, only timers or stalled I/O remain.
   * Carries the fields of the pool's snapshot that changed since the last settle.
   */
  settle: { counter?: number; counts?: CountedLevel; sessions?: string[]; locks?: LockEntry[] };
  /** Ground-truth resource sample from the driver. */
  sample: { browsers: number; pages: number; memoryMB: number };
  /**
   * What the operating system has: every live (non-zombie) process started for this run, grouped by
   * the browser it was started for: its TALLY_BROWSER environment marker, or the process group its
   * marked main process leads (Chromium's children overwrite their environment with their title),
   * remembered after the main dies so orphaned children still count. Real drivers only.
   */
  'os.sample': { browsers: OsBrowserTree[]; processes: number; pssMB: number; reason: OsSampleReason };

  /**
   * The used heap of the process that holds the pool, after a full GC, on the heap sample interval;
   * `gcMs` what the GC cost. Measured: differs between runs of one seed, as `wall` does.
   */
  'heap.sample': { usedMB: number; gcMs: number };
  /**
   * A heap snapshot of the process that holds the pool (memlab's baseline, target or final), after a
   * full GC, with what it cost; or why it was not taken. The measured fields differ between runs of
   * one seed, as `wall` does.
   */
  'heap.snapshot': {
    point: 'baseline' | 'target' | 'final';
    file?: string;
    sizeMB?: number;
    heapUsedMB?: number;
    gcMs?: number;
    writeMs?: number;
    error?: string;
    skipped?: string;
  };
  /**
   * The browser pages' heap snapshots (Chromium, CDP) at the same three points, analysed by memlab
   * per page that stayed open across them; or why a page was not analysed, or why the driver has
   * none (`unavailable`).
   */
  'heap.pageLeaks': {
    unavailable?: string;
    pages: { page: string; leakTraces?: number; top?: string; why?: string }[];
  };
  /**
   * The leak analysis of the run's snapshots (memlab), once the pool is closed: what the pool
   * still holds of what it allocated between baseline and target, and its top cluster's retainer
   * path; or why there is none (a snapshot missing, the analysis failed). Measured: `ms` differs
   * between runs of one seed, as `wall` does.
   */
  'heap.leaks': {
    leakedObjects?: number;
    leakedBytes?: number;
    clusters?: number;
    /** The top cluster: `count × path from the pool`. */
    top?: string;
    ms?: number;
    error?: string;
  };
}

/**
 * A run's pass conditions besides its invariants, from its scenario: each fault must have struck,
 * enough jobs must have worked, the budgets must hold. Without them a run may pass having tested
 * nothing (faults that found no working session, jobs that all timed out).
 */
export interface RunExpectations {
  /** The scenario's faults in order; `fault.start`, `fault.missed` and `fault.pending` name theirs by `entry`. */
  faults: { kind: FaultKind; minStrikes?: number }[];
  /** Jobs that must complete ok. */
  minJobsWorked: number;
  /** Jobs that must arrive while `maxBrowsers` jobs are already in the pool (absent: none needed). */
  minArrivalsAboveLimit?: number;
  /** Jobs whose caller must abandon them while they wait for a slot, and while they work (absent: none needed). */
  minAbandonedWaiting?: number;
  minAbandonedWorking?: number;
  budgets: {
    memoryGrowthMBPerHour?: number | undefined;
    peakClosesPerSecond?: number | undefined;
    heapGrowthMBPerHour?: number | undefined;
    leakedObjects?: number | undefined;
  };
  /** Memory samples before this scenario time are left out of the growth slope (filling the pool is not a leak). */
  memoryFromMs: number;
}

/** One browser's processes as the OS sees them. */
export interface OsBrowserTree {
  browser: string;
  /** Pid of the browser's main process, if it is still alive. */
  mainPid?: number;
  pids: number[];
  /** Proportional set size summed over the processes (shared pages counted once). */
  pssMB: number;
}

export type OsSampleReason = 'interval' | 'browser' | 'quiescent';

export type EventKind = keyof EventData;

export interface HistoryEvent<K extends EventKind = EventKind> {
  /** Position in the history, from 0. */
  seq: number;
  /** Virtual (scenario) time in ms since the run began. */
  t: number;
  /** Wall-clock ms since the run began; the only field that differs between two runs of one seed. */
  wall: number;
  kind: K;
  /** The session (job id) the event belongs to, when known (present and undefined when not: one shape for every event). */
  session?: string | undefined;
  data: EventData[K];
  /** Call site of the code that caused the event, `file:line:col (function)`, where it was captured. */
  at?: string | undefined;
}

/** Any event, discriminated on `kind` (so `switch (e.kind)` narrows `e.data`). */
export type AnyEvent = { [K in EventKind]: HistoryEvent<K> }[EventKind];

/** What a pool may report about itself through `env.report`. */
export type PoolReportKind = 'pool.counter' | 'pool.lock' | 'pool.sweep' | 'pool.watchdog' | 'pool.note';
