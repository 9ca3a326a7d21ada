/**
 * Every attribute name Tally puts on its telemetry (traces, metrics, resources), in one place, so a
 * span and a metric series that describe the same thing use the same key. Where OpenTelemetry's
 * semantic conventions define a name it is used (stable ones imported; incubating ones copied, as
 * the conventions package advises, because they may still change); everything else is `tally.*`.
 */
import {
  ATTR_CODE_FILE_PATH,
  ATTR_CODE_FUNCTION_NAME,
  ATTR_CODE_LINE_NUMBER,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';

/** OpenTelemetry semantic conventions. */
export const SEMCONV = {
  serviceName: ATTR_SERVICE_NAME,
  serviceVersion: ATTR_SERVICE_VERSION,
  /** Incubating `session.id`: a session is a job (its id, `j12`). */
  sessionId: 'session.id',
  /** Where a change was made (`at` in the history): file, line, column, function. */
  codeFilePath: ATTR_CODE_FILE_PATH,
  codeLineNumber: ATTR_CODE_LINE_NUMBER,
  codeFunctionName: ATTR_CODE_FUNCTION_NAME,
  /** On `exception` span events: what a failed job, work or driver call said. */
  exceptionMessage: ATTR_EXCEPTION_MESSAGE,
} as const;

/** The run: on the run span, and on every metric series (they say which run it is). */
export const RUN = {
  scenario: 'tally.scenario',
  pool: 'tally.pool',
  driver: 'tally.driver',
  seed: 'tally.seed',
  runId: 'tally.run.id',
  durationMs: 'tally.run.duration_ms',
  timeScale: 'tally.run.time_scale',
  endReason: 'tally.run.end_reason',
  error: 'tally.run.error',
  jobsRunning: 'tally.run.jobs_running',
  jobs: 'tally.run.jobs',
  jobsFailed: 'tally.run.jobs_failed',
  /** Jobs where nothing but the plain lifecycle happened: counted here, not traced (TALLY_TRACE_DETAIL=notable). */
  jobsPlain: 'tally.run.jobs_plain',
  peakBrowsers: 'tally.run.peak_browsers',
  peakMemoryMB: 'tally.run.peak_memory_mb',
  pendingTimers: 'tally.run.pending_timers',
  timerLabels: 'tally.run.timer_labels',
  violationCount: 'tally.run.violation_count',
  /** Prefix of the count per invariant: `tally.run.violations.single-release`. */
  violationsPrefix: 'tally.run.violations.',
  /** Prefix of the pool's configuration, one attribute per field: `tally.pool.config.watchdogMs`. */
  poolConfigPrefix: 'tally.pool.config.',
} as const;

/** Jobs, their work and the browsers they run on. */
export const JOB = {
  pages: 'tally.job.pages',
  ok: 'tally.job.ok',
  /** `ok` or `failed`: a low-cardinality label for metrics. */
  outcome: 'tally.job.outcome',
  ms: 'tally.job.ms',
  browser: 'tally.browser',
  /** A page id (`b3/p2`). */
  page: 'tally.page',
  workOk: 'tally.work.ok',
  pagesDone: 'tally.work.pages_done',
  /** How long the work kept running after its job was over (the watchdog's Promise.race does not stop it). */
  outlivedJobMs: 'tally.work.outlived_job_ms',
  /** A span the run ended before it did: its end is the run's end. */
  unfinished: 'tally.unfinished',
} as const;

/** Driver calls (ground truth). Page loads and evaluations are counted on the work span. */
export const DRIVER = {
  /** How long a driver call took to return (scenario ms). */
  ms: 'tally.driver.ms',
  /** False on a driver call that failed. */
  ok: 'tally.driver.ok',
  gotoCalls: 'tally.driver.goto.calls',
  gotoFailed: 'tally.driver.goto.failed',
  gotoPending: 'tally.driver.goto.pending',
  evaluateCalls: 'tally.driver.evaluate.calls',
  evaluateFailed: 'tally.driver.evaluate.failed',
  evaluatePending: 'tally.driver.evaluate.pending',
  browserDownCause: 'tally.browser.down_cause',
  /** Whose count of browsers or memory: `driver` (what the driver reports) or `os` (the process table). */
  view: 'tally.view',
} as const;

/** What the pool reports about itself. */
export const POOL = {
  counterDelta: 'tally.counter.delta',
  counterValue: 'tally.counter.value',
  /** The code path that changed the counter (`finally`, `watchdog`, `disconnected`, ...). */
  counterPath: 'tally.counter.path',
  lockOp: 'tally.lock.op',
  lockHolders: 'tally.lock.holders',
  sweepSwept: 'tally.sweep.swept',
  sweepLocks: 'tally.sweep.locks',
  sweepActiveOps: 'tally.sweep.active_ops',
  watchdogAfterMs: 'tally.watchdog.after_ms',
  note: 'tally.pool.note',
} as const;

/** Faults the nemesis strikes. */
export const FAULT = {
  kind: 'tally.fault.kind',
  id: 'tally.fault.id',
  target: 'tally.fault.target',
  forMs: 'tally.fault.for_ms',
} as const;

/** Broken invariants. */
export const VIOLATION = {
  invariant: 'tally.invariant',
  message: 'tally.violation.message',
  /** Position in history.ndjson of the event at which it was seen broken. */
  historySeq: 'tally.history.seq',
  /** Prefix of the values the invariant compared, one attribute per value: `tally.violation.value.counter`. */
  valuePrefix: 'tally.violation.value.',
} as const;
