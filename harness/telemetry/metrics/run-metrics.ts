import { Histogram } from 'prom-client';
import { INVARIANT_NAMES, type Violation } from '../../checkers/violation.ts';
import { type AnyEvent, FAULT_KINDS, type FaultKind } from '../../history/events.ts';
import { JOB, RUN } from '../attributes.ts';
import { JOB_DURATION_BUCKETS_S, METRICS } from './metric-definitions.ts';
import { prometheusLabel } from './prometheus-name.ts';

const MIB = 1024 * 1024;

interface OpenFault {
  fault: FaultKind;
  untilMs: number;
}

/**
 * The metrics of one run, folded from its history and its violations one at a time. Only plain
 * numbers change per event (no allocation, no attribute lookups), so following a run costs little;
 * anything derived (active fault windows, the exposition) is worked out when it is read.
 */
export class RunMetrics {
  /** The run's identity (attribute → value), from `run.start`; undefined until then. */
  runAttributes: Readonly<Record<string, string>> | undefined;
  scenarioMs = 0;
  events = 0;
  ended = false;

  counter = 0;
  sessions = 0;
  locks = 0;

  browsersDriver = 0;
  /** The OS's view: undefined until an `os.sample` (real drivers) says something. */
  browsersOs: number | undefined;
  processesOs: number | undefined;
  memoryDriverBytes: number | undefined;
  memoryOsBytes: number | undefined;

  readonly violations = new Map<string, number>(INVARIANT_NAMES.map((name) => [name, 0]));
  watchdogFires = 0;
  browserCloses = 0;
  jobsStarted = 0;
  jobsOk = 0;
  jobsFailed = 0;
  /**
   * Job durations in seconds of scenario time, by outcome: prom-client's own histogram (registered
   * by the exposition), fed through its children bound once, so an observation hashes no labels.
   */
  readonly jobDuration = new Histogram({
    name: METRICS.jobDuration.prometheusName,
    help: METRICS.jobDuration.description,
    labelNames: [prometheusLabel(JOB.outcome)],
    buckets: [...JOB_DURATION_BUCKETS_S],
    registers: [],
  });
  readonly #jobDurationOk = this.jobDuration.labels('ok');
  readonly #jobDurationFailed = this.jobDuration.labels('failed');
  readonly faults = new Map<FaultKind, number>(FAULT_KINDS.map((kind) => [kind, 0]));
  /** Windowed faults not yet over, by fault id. */
  readonly #openFaults = new Map<number, OpenFault>();

  event(event: AnyEvent): void {
    this.events++;
    this.scenarioMs = event.t;
    switch (event.kind) {
      case 'settle': {
        const { counter, sessions, locks } = event.data;
        if (counter !== undefined) this.counter = counter;
        if (sessions !== undefined) this.sessions = sessions.length;
        if (locks !== undefined) this.locks = locks.length;
        return;
      }
      case 'browser.up':
        this.browsersDriver++;
        return;
      case 'browser.down':
        this.browsersDriver--;
        if (event.data.cause === 'close') this.browserCloses++;
        return;
      case 'pool.watchdog':
        this.watchdogFires++;
        return;
      case 'job.start':
        this.jobsStarted++;
        return;
      case 'job.end':
        if (event.data.ok) this.jobsOk++;
        else this.jobsFailed++;
        (event.data.ok ? this.#jobDurationOk : this.#jobDurationFailed).observe(event.data.ms / 1000);
        return;
      case 'sample':
        this.memoryDriverBytes = event.data.memoryMB * MIB;
        return;
      case 'os.sample': {
        let alive = 0;
        for (const tree of event.data.browsers) if (tree.pids.length > 0) alive++;
        this.browsersOs = alive;
        this.processesOs = event.data.processes;
        this.memoryOsBytes = event.data.pssMB * MIB;
        return;
      }
      case 'fault.start': {
        const { fault, id, forMs } = event.data;
        this.faults.set(fault, (this.faults.get(fault) ?? 0) + 1);
        if (forMs !== undefined && forMs > 0) this.#openFaults.set(id, { fault, untilMs: event.t + forMs });
        return;
      }
      case 'fault.end':
        this.#openFaults.delete(event.data.id);
        return;
      case 'run.start': {
        const { scenario, pool, driver, seed, runId } = event.data;
        this.runAttributes = {
          [RUN.scenario]: scenario,
          [RUN.pool]: pool,
          [RUN.driver]: driver,
          [RUN.seed]: String(seed),
          ...(runId === undefined ? {} : { [RUN.runId]: runId }),
        };
        return;
      }
      case 'run.end':
        this.ended = true;
        return;
      default:
        return;
    }
  }

  violation(violation: Violation): void {
    this.violations.set(violation.invariant, (this.violations.get(violation.invariant) ?? 0) + 1);
  }

  /**
   * Windowed faults in effect now, by kind. A window ends at its `fault.end` or, failing that, `forMs`
   * after it began (a slow close has no end event); once the run is over none is in effect.
   */
  activeFaults(): Map<FaultKind, number> {
    const active = new Map<FaultKind, number>(FAULT_KINDS.map((kind) => [kind, 0]));
    for (const [id, open] of this.#openFaults) {
      if (this.ended || open.untilMs <= this.scenarioMs) {
        this.#openFaults.delete(id);
        continue;
      }
      active.set(open.fault, active.get(open.fault)! + 1);
    }
    return active;
  }
}
