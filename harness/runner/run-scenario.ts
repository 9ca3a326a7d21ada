import { join } from 'node:path';
import { ownedClock, type Clock } from '../clock/clock.ts';
import { VirtualClock } from '../clock/virtual-clock.ts';
import { createCheckSuite } from '../checkers/check-history.ts';
import type { InvariantName, Violation } from '../checkers/violation.ts';
import { DEFAULT_SIM_OPTIONS, SimDriver } from '../drivers/sim/sim-driver.ts';
import { captureCallSite } from '../history/call-site.ts';
import type { AnyEvent } from '../history/events.ts';
import { NdjsonSink } from '../history/ndjson-sink.ts';
import { Recorder } from '../history/recorder.ts';
import { Nemesis } from '../nemesis/nemesis.ts';
import type { Pool, PoolEnv, PoolSnapshot } from '../pool/contract.ts';
import { InputError } from '../errors.ts';
import { checkPoolContract, type LoadedPool } from '../pool/load-pool.ts';
import { seededRandom } from '../random.ts';
import { createFigures, type Figures } from '../report/figures.ts';
import type { EndReason } from '../report/verdict.ts';
import type { Scenario } from '../scenario/schema.ts';
import { driveVirtual, type DriveOutcome } from './drive-virtual.ts';
import type { RunObserver } from './observer.ts';
import { describe, startWorkload } from './workload.ts';

export interface RunOptions {
  scenario: Scenario;
  pool: LoadedPool;
  seed: number;
  /** Folder for history.ndjson (the report is written next to it by the caller). */
  outDir: string;
  /** Check invariants online (default). Off only to measure what checking costs. */
  checks?: boolean;
  /** Aborting it stops the run early; what was recorded is kept. */
  signal?: AbortSignal;
  /** Called with every violation as it is found. */
  onViolation?: (violation: Violation) => void;
  /** Further consumers of the history and its violations (telemetry, benches). */
  observers?: readonly RunObserver[];
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
}

/** Past the scenario's duration, jobs get this long (plus watchdog and jitter, twice) to finish. */
const DRAIN_MARGIN_MS = 60_000;

/**
 * One run of a scenario against a pool on the sim driver: wire the clock, recorder, driver, pool,
 * workload and nemesis; drive virtual time; close the pool; check quiescence; tear down.
 */
export async function runScenario(options: RunOptions, onStatus?: (status: () => RunStatus) => void): Promise<RunResult> {
  const { scenario, seed } = options;
  const clock = new VirtualClock();
  const recorder = new Recorder(() => clock.now());
  const random = seededRandom(seed);
  const historyPath = join(options.outDir, 'history.ndjson');
  const sink = new NdjsonSink(historyPath);
  const suite = createCheckSuite();
  // Memory growth is fitted over the steady state: from when every slot has started to the end of
  // the duration, not over the ramp-up (0 to N browsers) or the drain after it.
  const figures = createFigures({ memoryFromMs: scenario.workload.rampMs + scenario.sim.launchMs + scenario.sampleEveryMs });
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
  for (const observer of observers) if (observer.event) recorder.subscribe(observer.event.bind(observer));
  const onViolation = [options.onViolation, ...observers.map((observer) => observer.violation?.bind(observer))].filter((f) => f !== undefined);
  if (options.checks !== false) {
    recorder.subscribe((event) => {
      const found = suite.step(event);
      // Nearly always empty: test the length rather than start an iterator on every event.
      if (found.length === 0) return;
      violationCount += found.length;
      for (const violation of found) for (const notify of onViolation) notify(violation);
    });
  }

  const driver = new SimDriver(clock, recorder, random.fork(1), {
    ...DEFAULT_SIM_OPTIONS,
    browserMB: scenario.sim.browserMB,
    pageMB: scenario.sim.pageMB,
    timing: { ...DEFAULT_SIM_OPTIONS.timing, navigationMs: scenario.workload.pageMs, launchMs: scenario.sim.launchMs, closeMs: scenario.sim.closeMs },
  });
  const poolClock = ownedClock(clock, (label) => recorder.emit('timer.fire', { owner: 'pool', label }));
  const env: PoolEnv = {
    driver,
    clock: poolClock,
    random: random.fork(2),
    config: { ...scenario.pool },
    report: (kind, session, data) => void recorder.emit(kind, data, { session, at: captureCallSite() }),
  };

  // A pool's stray promise rejection is a finding about the pool, not a reason to lose the run.
  const onUnhandled = (reason: unknown) => recorder.emit('pool.note', { message: `unhandled rejection: ${describe(reason)}` });
  process.on('unhandledRejection', onUnhandled);

  let endReason: EndReason = 'done';
  let error: string | undefined;
  let workload: ReturnType<typeof startWorkload> | undefined;
  try {
    recorder.emit('run.start', {
      scenario: scenario.name,
      pool: options.pool.name,
      driver: driver.name,
      seed,
      durationMs: scenario.durationMs,
      pool_config: { ...scenario.pool },
      timeScale: 1,
    });
    const pool = checkPoolContract(createPool(options.pool, env), options.pool.name);
    const settle = () => {
      if (recorder.needsSnapshot) recorder.settle(inspect(pool, options.pool.name));
    };
    const interrupted = () => options.signal?.aborted === true;

    const runnerClock: Clock = ownedClock(clock);
    const sampler = startSampler(runnerClock, scenario.sampleEveryMs, scenario.durationMs, () => recorder.emit('sample', driver.sample()));
    workload = startWorkload(scenario, pool, driver, recorder, runnerClock);
    const nemesis = new Nemesis(scenario.faults, {
      clock: ownedClock(clock, (label) => recorder.emit('timer.fire', { owner: 'nemesis', label })),
      recorder,
      random: random.fork(3),
      driverFaults: driver.faults,
      workload,
      durationMs: scenario.durationMs,
    });
    nemesis.start();
    const jobsStatus = workload;
    onStatus?.(() => ({
      virtualMs: clock.now(),
      jobsStarted,
      jobsRunning: jobsStatus.running(),
      events: recorder.eventCount,
      violations: violationCount,
    }));

    const deadline = scenario.durationMs + 2 * (scenario.pool.watchdogMs + scenario.pool.jitterMs) + DRAIN_MARGIN_MS;
    const outcome = await driveVirtual(clock, { until: workload.done, deadline, settle, interrupted });
    endReason = endReasonOf(outcome);
    nemesis.stop();
    sampler.stop();

    const closed = Promise.resolve().then(() => pool.close());
    const closeOutcome = await driveVirtual(clock, { until: closed, deadline: clock.now() + DRAIN_MARGIN_MS, settle, interrupted: () => false });
    await closed.catch((closeError: unknown) => recorder.emit('pool.note', { message: `close() failed: ${describe(closeError)}` }));
    if (closeOutcome !== 'done') recorder.emit('pool.note', { message: `close() did not return within ${DRAIN_MARGIN_MS} ms` });
    if (endReason !== 'interrupted') {
      const timers = poolClock.pendingTimers();
      recorder.emit('run.quiescent', { pendingTimers: timers.length, timerLabels: timers.map((timer) => timer.label) });
    }
  } catch (caught) {
    endReason = 'error';
    error = describe(caught);
    if (caught instanceof InputError) throw caught;
  } finally {
    await driver.shutdown();
    await new Promise((resolve) => setImmediate(resolve));
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
  };
}

/** A pool whose factory throws has nothing to run: that is bad input, named as such. */
function createPool(pool: LoadedPool, env: PoolEnv): Pool {
  try {
    return pool.create(env);
  } catch (error) {
    throw new InputError(`${pool.name}: createPool(env) threw: ${describe(error)}`);
  }
}

function inspect(pool: Pool, name: string): PoolSnapshot {
  try {
    return pool.inspect();
  } catch (error) {
    throw new Error(`${name}: inspect() threw: ${describe(error)}`);
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
