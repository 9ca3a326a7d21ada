import type { ServerResponse } from 'node:http';
import type { Driver } from '../drivers/types.ts';
import type { Nemesis } from '../nemesis/nemesis.ts';
import type { Pool } from '../pool/contract.ts';
import type { JobRunner } from '../workload/job-runner.ts';
import { createJobRunner } from '../workload/job-runner.ts';
import type { StartWorkload } from '../workload/workload.ts';
import { Admission } from './admission.ts';
import { ServiceMetrics } from './service-metrics.ts';
import { ViolationLog } from './violation-log.ts';

export interface ServiceLimits {
  /** Jobs at once: the pool's maxBrowsers. */
  capacity: number;
  /** Job requests waiting for a slot beyond `capacity`. */
  queueLimit: number;
  /** Real ms a job request waits in the queue before 429. */
  queueWaitMs: number;
  /** Real ms a job request waits for its job before 504 (the job itself goes on, and keeps its slot). */
  jobTimeoutMs: number;
  /** Real ms the drain after SIGTERM waits for accepted job requests before the pool is closed under them. */
  drainMs: number;
  /** Largest request body accepted. */
  bodyLimitBytes: number;
}

/** Who plays the scenario's faults: the service's own nemesis (`scenario`), or callers of `POST /admin/faults` alone (`admin`). */
export type FaultsFrom = 'scenario' | 'admin';

/** starting: the pool is not up yet; ready: serving; draining: SIGTERM, finishing what was accepted; stopped. */
export type ServiceStatus = 'starting' | 'ready' | 'draining' | 'stopped';

/** What the routes reach of the running pool once the run has started it. */
export interface PoolBinding {
  runner: JobRunner;
  pool: Pool;
  driver: Pick<Driver, 'sample'>;
  origin: string;
}

/**
 * The service's state between its HTTP routes and the run: admission, the accepted requests not
 * yet answered, the violations found so far, and the drain. `workload` is what the run starts in
 * place of the scenario's slots: jobs come from requests until the drain is over.
 */
export class Service {
  status: ServiceStatus = 'starting';
  readonly admission: Admission;
  readonly metrics: ServiceMetrics;
  readonly violations = new ViolationLog();
  #binding: PoolBinding | undefined;
  #nemesis: Nemesis | undefined;
  /** Job requests accepted (valid, admitted or queued) and not yet answered. */
  readonly #accepted = new Set<ServerResponse>();
  #nextJob = 1;
  #resolveDone!: () => void;
  readonly #done = new Promise<void>((resolve) => (this.#resolveDone = resolve));
  #resolveStopped!: () => void;
  /** Settles when the run is over: a request still waiting for its job stops waiting. */
  readonly stopped = new Promise<void>((resolve) => (this.#resolveStopped = resolve));
  #drainTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly limits: ServiceLimits,
    readonly faultsFrom: FaultsFrom = 'scenario',
    /** Whether the invariants are checked as it serves (`--checkers off`: only recorded, for `tally check`). */
    readonly checkers = true,
  ) {
    this.admission = new Admission({ capacity: limits.capacity, queueLimit: limits.queueLimit, waitMs: limits.queueWaitMs });
    this.metrics = new ServiceMetrics(this.admission);
  }

  get binding(): PoolBinding | undefined {
    return this.#binding;
  }

  readonly workload: StartWorkload = ({ pool, driver, recorder, clock, origin }) => {
    const runner = createJobRunner(pool, driver, recorder, clock, origin);
    this.#binding = { runner, pool, driver, origin };
    // A SIGTERM that came while the pool was starting: there is nothing to drain.
    if (this.status === 'starting') this.status = 'ready';
    else this.#settleDrain();
    return { done: this.#done, running: runner.running, working: runner.working, sabotage: runner.sabotage, stop: () => this.drain() };
  };

  /** The run's nemesis, through which the admin channel strikes (undefined until the run is up). */
  get nemesis(): Nemesis | undefined {
    return this.#nemesis;
  }

  readonly faultsReady = (nemesis: Nemesis): void => {
    this.#nemesis = nemesis;
  };

  nextJobId(): string {
    return `r${this.#nextJob++}`;
  }

  /** A job request is accepted: from now on it is owed an answer, and the drain waits for it. */
  accept(response: ServerResponse): void {
    this.#accepted.add(response);
    response.once('close', () => {
      this.#accepted.delete(response);
      if (this.status === 'draining') this.#settleDrain();
    });
  }

  /** SIGTERM: refuse new requests, let the accepted ones finish for up to `drainMs`, then let the run close the pool. */
  drain(): void {
    if (this.status === 'draining' || this.status === 'stopped') return;
    const wasStarting = this.status === 'starting';
    this.status = 'draining';
    if (wasStarting) return;
    this.#drainTimer = setTimeout(() => this.#drained(), this.limits.drainMs);
    this.#drainTimer.unref();
    this.#settleDrain();
  }

  /** The run is over: whatever accepted request is still open gets its answer now. */
  stop(answer: (response: ServerResponse) => void): void {
    this.status = 'stopped';
    this.#drained();
    this.#resolveStopped();
    for (const response of [...this.#accepted]) answer(response);
  }

  /** The drain is over: no job starts any more (the pool is about to close), and the run may go on to close it. */
  #drained(): void {
    clearTimeout(this.#drainTimer);
    this.admission.close();
    this.#resolveDone();
  }

  #settleDrain(): void {
    if (this.#accepted.size > 0) return;
    this.#drained();
  }
}
