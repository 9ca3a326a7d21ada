import { type Clock, sleep } from '../clock/clock.ts';
import type { Driver } from '../drivers/types.ts';
import type { Recorder } from '../history/recorder.ts';
import type { Pool } from '../pool/contract.ts';
import type { Scenario } from '../scenario/schema.ts';
import { createJobRunner, type JobRunner } from './job-runner.ts';

/** After a job that failed or took no time, a slot waits this long before the next one. */
const BACKOFF_MS = 1_000;

export interface Workload extends Pick<JobRunner, 'running' | 'working' | 'sabotage'> {
  /** Settles when no more jobs will start and the last one has settled. */
  done: Promise<void>;
  /** Start no more jobs (an interrupt): the jobs running now go on until the pool ends them. */
  stop(): void;
}

/** What a workload is started with: the pool, the browsers and the run's recorder and clock. */
export interface WorkloadContext {
  scenario: Scenario;
  pool: Pool;
  driver: Pick<Driver, 'browserIdOf' | 'pageIdOf' | 'browserListenersOf' | 'sample'>;
  recorder: Recorder;
  clock: Clock;
  origin: string;
}

/** Starts the jobs of a run: the scenario's own slots (`startWorkload`), or another source such as the HTTP service. */
export type StartWorkload = (context: WorkloadContext) => Workload;

/**
 * `concurrency` slots, each starting one job after another until the scenario's duration or job
 * count is reached. Each job is the review scrape of pages at `origin`, handed to `pool.run`.
 */
export function startWorkload(
  scenario: Scenario,
  pool: Pool,
  driver: Pick<Driver, 'browserIdOf' | 'pageIdOf' | 'browserListenersOf'>,
  recorder: Recorder,
  clock: Clock,
  origin: string,
): Workload {
  const { concurrency, jobs, pagesPerJob, rampMs, abandon } = scenario.workload;
  const runner = createJobRunner(pool, driver, recorder, clock, origin);
  let started = 0;
  let stopped = false;

  const mayStart = () => !stopped && clock.now() < scenario.durationMs && (jobs === undefined || started < jobs);

  let abandoned = 0;

  /** Every `abandon.every`-th job is given up by its caller, after the next delay of `abandon.afterMs` in turn. */
  function abandonAfterMs(n: number): number | undefined {
    if (abandon === undefined || n % abandon.every !== 0) return undefined;
    return abandon.afterMs[abandoned++ % abandon.afterMs.length];
  }

  async function runJob(n: number): Promise<boolean> {
    const startedAt = clock.now();
    const id = `j${n}`;
    const afterMs = abandonAfterMs(n);
    const outcome = await runner.run({
      id,
      store: `store-${id}`,
      pages: pagesPerJob,
      ...(afterMs === undefined ? {} : { abandonAfterMs: afterMs }),
    });
    return outcome.ok && clock.now() > startedAt;
  }

  async function slot(index: number): Promise<void> {
    await sleep(clock, Math.floor((rampMs * index) / concurrency), undefined, 'ramp');
    while (mayStart()) {
      const healthy = await runJob(++started);
      if (!healthy) await sleep(clock, BACKOFF_MS, undefined, 'backoff');
    }
  }

  const done = Promise.all(Array.from({ length: concurrency }, (_, i) => slot(i))).then(() => undefined);
  return { done, running: runner.running, working: runner.working, sabotage: runner.sabotage, stop: () => void (stopped = true) };
}
