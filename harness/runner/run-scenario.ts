import { join } from 'node:path';
import { createCheckSuite } from '../checkers/check-history.ts';
import type { InvariantName, Violation } from '../checkers/violation.ts';
import { type Clock, ownedClock } from '../clock/clock.ts';
import type { DriverName } from '../drivers/catalogue.ts';
import type { Launcher } from '../drivers/playwright/playwright-driver.ts';
import { errorMessage, InputError } from '../errors.ts';
import { heapSampleEveryMs, sampleHeap } from '../heap/heap-sample.ts';
import { HeapSnapshots, snapshotPlan } from '../heap/heap-snapshots.ts';
import { analyseRunLeaks } from '../heap/run-leaks.ts';
import { captureCallSite } from '../history/call-site.ts';
import type { AnyEvent, RunExpectations } from '../history/events.ts';
import { NdjsonSink } from '../history/ndjson-sink.ts';
import { Recorder } from '../history/recorder.ts';
import { Nemesis } from '../nemesis/nemesis.ts';
import type { RunObserver } from '../observer/run-observer.ts';
import type { Pool, PoolEnv, PoolSnapshot } from '../pool/contract.ts';
import { checkPoolContract, type LoadedPool } from '../pool/load-pool.ts';
import { seededRandom } from '../random.ts';
import { createFigures, type Figures } from '../report/figures.ts';
import type { EndReason } from '../report/verdict.ts';
import { expectationsOf } from '../scenario/expectations.ts';
import type { Scenario } from '../scenario/schema.ts';
import { type StartWorkload, startWorkload, type Workload } from '../workload/workload.ts';
import { createBackend } from './backends/create-backend.ts';
import type { DriveOutcome } from './drive-virtual.ts';
import { poolCloser } from './pool-closer.ts';

export interface RunOptions {
  scenario: Scenario;
  pool: LoadedPool;
  seed: number;
  /** Which browsers: the simulation (default) or a real driver. */
  driver?: DriverName;
  /** Real drivers: launch browsers with this instead of the driver's own launcher (tests, benches). */
  launcher?: Launcher;
  /** Sim only: play virtual time at this many scenario ms per real ms, to watch a run live. */
  pace?: number;
  /** Folder for history.ndjson (the report is written next to it by the caller). */
  outDir: string;
  /**
   * Check invariants online (default). Off to measure what checking costs, or to serve with less
   * work per event: the verdict is then undecided, and `tally check` judges the history.
   */
  checks?: boolean;
  /** Aborting it stops the run early; what was recorded is kept. */
  signal?: AbortSignal;
  /** Called with every violation as it is found. */
  onViolation?: (violation: Violation) => void;
  /** Further consumers of the history and its violations (telemetry, benches). */
  observers?: readonly RunObserver[];
  /**
   * Take heap snapshots (baseline, target, final) into `outDir` and analyse them for leaks, as the
   * scenario's `heap.snapshots` or `budgets.leakedObjects` does.
   */
  heapSnapshots?: boolean;
  /** Keep the snapshots once analysed (they are removed by default: they are large). */
  keepSnapshots?: boolean;
  /**
   * Who starts the jobs. Default: the scenario's slots, until its duration. Another source (the
   * HTTP service) decides itself when it is done: the run, its samplers and its faults then go on
   * until its `done` settles.
   */
  workload?: StartWorkload;
  /** Faults from outside the run (the service's admin channel): see `FaultControl`. */
  faults?: FaultControl;
}

/**
 * How a run's faults are struck when someone outside may strike too: `ready` is given the run's
 * nemesis once it is up (strikes through `nemesis.strike`), and `schedule: false` leaves the
 * scenario's schedule to that someone (it only counts their strikes against the scenario's faults).
 */
export interface FaultControl {
  schedule: boolean;
  ready: (nemesis: Nemesis) => void;
}

export interface RunStatus {
  virtualMs: number;
  jobsStarted: number;
  jobsRunning: number;
  events: number;
  violations: number;
}

export interface RunResult {
  endReason: EndReason;
  error?: string;
  violations: Violation[];
  counts: Record<InvariantName, number>;
  figures: Figures;
  lastEvent: { seq: number; t: number };
  historyPath: string;
  /** What the run had to show beyond its invariants, as recorded in `run.start`. */
  expects: RunExpectations;
  /** Why its invariants were not checked as it ran, when its checkers were off. */
  unchecked?: string;
}

/** The run's checkers were off: it says nothing of its invariants until its history is checked. */
export const CHECKERS_OFF = 'its invariants were not checked while it ran (checkers off): tally check <run folder> judges its history';

/** Past the scenario's duration, jobs get this long (plus watchdog and jitter, twice) to finish. */
const DRAIN_MARGIN_MS = 60_000;

/**
 * One run of a scenario against a pool: wire the backend (clock and browsers), recorder, pool,
 * workload and nemesis; drive time; close the pool; check quiescence; tear down.
 */
export async function runScenario(options: RunOptions, onStatus?: (status: () => RunStatus) => void): Promise<RunResult> {
  const { scenario, seed } = options;
  let now = () => 0;
  const recorder = new Recorder(() => now());
  const random = seededRandom(seed);
  // First, so that a browser that is not installed stops the run before anything is written.
  const backend = await createBackend(options.driver ?? 'sim', scenario, recorder, random.fork(1), {
    ...(options.pace === undefined ? {} : { pace: options.pace }),
    ...(options.launcher === undefined ? {} : { launcher: options.launcher }),
    // Jobs from outside (the HTTP service) arrive in real time: the sim plays along on the real clock.
    ...(options.workload === undefined ? {} : { realTime: true }),
  });
  const { clock, driver } = backend;
  now = () => clock.now();
  const historyPath = join(options.outDir, 'history.ndjson');
  const sink = new NdjsonSink(historyPath);
  const suite = createCheckSuite();
  const expects = expectationsOf(scenario);
  const figures = createFigures({ memoryFromMs: expects.memoryFromMs });
  let last: AnyEvent | undefined;
  let violationCount = 0;
  let jobsStarted = 0;

  recorder.subscribe((event) => {
    sink.write(event);
    figures.step(event);
    if (event.kind === 'job.start') jobsStarted++;
    last = event;
  });
  const observers = options.observers ?? [];
  for (const observer of observers) if (observer.event) recorder.subscribe(observer.event.bind(observer), observer.wants);
  const onViolation = [options.onViolation, ...observers.map((observer) => observer.violation?.bind(observer))].filter(
    (f) => f !== undefined,
  );
  if (options.checks !== false) {
    recorder.subscribe((event) => {
      const found = suite.step(event);
      // Nearly always empty: test the length rather than start an iterator on every event.
      if (found.length === 0) return;
      // A violation is what the history is kept for: on disk now, whatever happens to the process next.
      sink.flush();
      violationCount += found.length;
      for (const violation of found) for (const notify of onViolation) notify(violation);
    }, suite.wants);
  }

  const poolClock = ownedClock(clock, (label) => recorder.emit('timer.fire', { owner: 'pool', label }));
  const env: PoolEnv = {
    driver,
    clock: poolClock,
    random: random.fork(2),
    config: { ...scenario.pool },
    report: (kind, session, data) => void recorder.emit(kind, data, { session, at: captureCallSite() }),
  };

  const heap =
    options.heapSnapshots || scenario.heap.snapshots || scenario.budgets.leakedObjects !== undefined
      ? new HeapSnapshots(snapshotPlan(scenario, options.outDir), (data) => recorder.emit('heap.snapshot', data), driver.pageHeaps)
      : undefined;

  // A pool's stray promise rejection is a finding about the pool, not a reason to lose the run.
  const onUnhandled = (reason: unknown) => recorder.emit('pool.note', { message: `unhandled rejection: ${errorMessage(reason)}` });
  process.on('unhandledRejection', onUnhandled);

  let endReason: EndReason = 'done';
  let error: string | undefined;
  let workload: Workload | undefined;
  const untilMs = options.workload ? Infinity : scenario.durationMs;
  try {
    recorder.emit('run.start', {
      scenario: scenario.name,
      pool: options.pool.name,
      driver: driver.name,
      seed,
      durationMs: scenario.durationMs,
      pool_config: { ...scenario.pool },
      timeScale: backend.timeScale,
      ...(backend.runId === undefined ? {} : { runId: backend.runId }),
      expects,
    });
    const pool = checkPoolContract(createPool(options.pool, env), options.pool.name);
    heap?.hold(pool, options.pool.create);
    const settle = () => {
      if (recorder.needsSnapshot) recorder.settle(inspect(pool, options.pool.name));
      heap?.atSettled(clock.now());
    };
    const interrupted = () => options.signal?.aborted === true;

    const runnerClock: Clock = ownedClock(clock);
    const sampler = startSampler(runnerClock, scenario.sampleEveryMs, untilMs, () => backend.sample());
    // "About a dozen a run" means nothing for a run that serves until stopped: it samples only when the scenario says how often.
    const heapEveryMs = options.workload && scenario.heap.sampleEveryMs === undefined ? 0 : heapSampleEveryMs(scenario);
    const heapSampler =
      heapEveryMs > 0 ? startSampler(runnerClock, heapEveryMs, untilMs, () => recorder.emit('heap.sample', sampleHeap())) : undefined;
    workload = options.workload
      ? options.workload({ scenario, pool, driver, recorder, clock: runnerClock, origin: backend.origin })
      : startWorkload(scenario, pool, driver, recorder, runnerClock, backend.origin);
    const closePool = poolCloser(pool, recorder);
    const jobs = workload;
    const nemesis = new Nemesis(scenario.faults, {
      clock: ownedClock(clock, (label) => recorder.emit('timer.fire', { owner: 'nemesis', label })),
      recorder,
      random: random.fork(3),
      driverFaults: driver.faults,
      workload,
      durationMs: untilMs,
      shutdown: () => {
        jobs.stop();
        // Its failure is reported by the runner's own close, which waits for this one.
        closePool('fault').catch(() => undefined);
      },
    });
    if (options.faults?.schedule !== false) nemesis.start();
    options.faults?.ready(nemesis);
    onStatus?.(() => ({
      virtualMs: clock.now(),
      jobsStarted,
      jobsRunning: jobs.running(),
      events: recorder.eventCount,
      violations: violationCount,
    }));

    const deadline = untilMs + 2 * (scenario.pool.watchdogMs + scenario.pool.jitterMs) + DRAIN_MARGIN_MS;
    const outcome = await backend.drive({ until: workload.done, deadline, settle, interrupted });
    endReason = endReasonOf(outcome);
    if (endReason === 'interrupted') {
      workload.stop();
      recorder.emit('run.shutdown', { reason: 'interrupted' });
    }
    nemesis.stop();
    sampler.stop();
    heapSampler?.stop();

    const closed = closePool('run');
    const allowanceMs = backend.closeAllowanceMs(DRAIN_MARGIN_MS);
    const closeOutcome = await backend.drive({ until: closed, deadline: clock.now() + allowanceMs, settle, interrupted: () => false });
    if (closeOutcome === 'done') {
      await closed.catch((closeError: unknown) => recorder.emit('pool.note', { message: `close() failed: ${errorMessage(closeError)}` }));
    } else {
      // A close that never settles must not hold the run (Node would end it with nothing written):
      // it is left behind, its late failure is no unhandled rejection, and the run cannot say it is done.
      closed.catch(() => undefined);
      const message = `close() did not return within ${Math.round(allowanceMs)} ms`;
      recorder.emit('pool.note', { message });
      if (endReason === 'done') {
        endReason = 'error';
        error = message;
      }
    }
    // A pool still closing holds what it holds for now, not for good: only a closed pool is judged quiescent.
    if (endReason !== 'interrupted' && closeOutcome === 'done') {
      await backend.beforeQuiescent();
      const timers = poolClock.pendingTimers();
      recorder.emit('run.quiescent', { pendingTimers: timers.length, timerLabels: timers.map((timer) => timer.label) });
      // The pool is closed and idle and still in scope: what it holds now is what it leaked.
      heap?.final();
      await heap?.pagesSettled();
    }
  } catch (caught) {
    endReason = 'error';
    error = errorMessage(caught);
    if (caught instanceof InputError) throw caught;
  } finally {
    await backend.teardown();
    await new Promise((resolve) => setImmediate(resolve));
    // The browsers are gone; the snapshots hold what the closed pool kept. An interrupted run is not kept waiting for memlab.
    if (heap && endReason === 'interrupted') recorder.emit('heap.leaks', { error: 'the run was interrupted' });
    else if (heap) {
      const { pageLeaks, leaks } = await analyseRunLeaks(options.outDir, heap, options.keepSnapshots ?? false);
      recorder.emit('heap.pageLeaks', pageLeaks);
      recorder.emit('heap.leaks', leaks);
    }
    recorder.emit('run.end', { reason: endReason, jobsRunning: workload?.running() ?? 0, ...(error === undefined ? {} : { error }) });
    process.off('unhandledRejection', onUnhandled);
    sink.close();
    for (const observer of observers) await observer.close?.(options.outDir);
  }

  return {
    endReason,
    ...(error === undefined ? {} : { error }),
    violations: suite.violations,
    counts: suite.counts,
    figures: figures.result(suite.counts, suite.violations),
    lastEvent: { seq: last?.seq ?? 0, t: last?.t ?? 0 },
    historyPath,
    expects,
    ...(options.checks === false ? { unchecked: CHECKERS_OFF } : {}),
  };
}

/** A pool whose factory throws has nothing to run: that is bad input, named as such. */
function createPool(pool: LoadedPool, env: PoolEnv): Pool {
  try {
    return pool.create(env);
  } catch (error) {
    throw new InputError(`${pool.name}: createPool(env) threw: ${errorMessage(error)}`);
  }
}

function inspect(pool: Pool, name: string): PoolSnapshot {
  try {
    return pool.inspect();
  } catch (error) {
    throw new Error(`${name}: inspect() threw: ${errorMessage(error)}`);
  }
}

function endReasonOf(outcome: DriveOutcome): EndReason {
  return outcome === 'stuck' ? 'deadline' : outcome;
}

function startSampler(clock: Clock, everyMs: number, untilMs: number, sample: () => void): { stop(): void } {
  let timer: number | undefined;
  const tick = () => {
    sample();
    if (clock.now() + everyMs <= untilMs) timer = clock.setTimeout(tick, everyMs, 'sample');
  };
  tick();
  return { stop: () => clock.clearTimeout(timer) };
}
