import { type Clock, sleep } from '../clock/clock.ts';
import type { Driver } from '../drivers/types.ts';
import { errorMessage } from '../errors.ts';
import type { EventData } from '../history/events.ts';
import type { Recorder } from '../history/recorder.ts';
import type { Pool } from '../pool/contract.ts';
import type { Scenario } from '../scenario/schema.ts';
import { reviewScrape, type Sabotage } from './review-job.ts';

/** After a job that failed or took no time, a slot waits this long before the next one. */
const BACKOFF_MS = 1_000;

export interface Workload {
  /** Settles when every slot has stopped starting jobs and its last job has settled. */
  done: Promise<void>;
  /** Jobs started and not yet settled. */
  running(): number;
  /** Jobs whose work is running now, with the browser it runs in: what faults can target. */
  readonly working: ReadonlyMap<string, string>;
  readonly sabotage: Map<string, Sabotage>;
  /** Start no more jobs (an interrupt): the jobs running now go on until the pool ends them. */
  stop(): void;
}

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
  const { concurrency, jobs, pagesPerJob, rampMs } = scenario.workload;
  const working = new Map<string, string>();
  const sabotage = new Map<string, Sabotage>();
  let started = 0;
  let running = 0;
  let stopped = false;

  const mayStart = () => !stopped && clock.now() < scenario.durationMs && (jobs === undefined || started < jobs);

  async function runJob(id: string): Promise<boolean> {
    const plan: Sabotage = { throwNext: false };
    sabotage.set(id, plan);
    let pagesDone = 0;
    const scrape = reviewScrape({ jobId: id, origin, store: `store-${id}`, pages: pagesPerJob }, plan, () => pagesDone++);
    const job = {
      id,
      work: async (page: Parameters<typeof scrape>[0], signal: AbortSignal) => {
        const browser = driver.browserIdOf(page) ?? 'unknown';
        const pageId = driver.pageIdOf(page);
        const listeners = driver.browserListenersOf(page);
        const data: EventData['job.work'] = pageId === undefined ? { browser } : { browser, page: pageId };
        if (listeners !== undefined) data.listeners = listeners;
        recorder.emit('job.work', data, { session: id });
        working.set(id, browser);
        try {
          const reviews = await scrape(page, signal);
          recorder.emit('job.work.end', { ok: true, pagesDone }, { session: id });
          return reviews;
        } catch (error) {
          recorder.emit('job.work.end', { ok: false, error: errorMessage(error), pagesDone }, { session: id });
          throw error;
        } finally {
          working.delete(id);
        }
      },
    };
    const startedAt = clock.now();
    running++;
    recorder.emit('job.start', { pages: pagesPerJob }, { session: id });
    let ok = true;
    try {
      await pool.run(job);
      recorder.emit('job.end', { ok: true, ms: clock.now() - startedAt }, { session: id });
    } catch (error) {
      ok = false;
      recorder.emit('job.end', { ok: false, error: errorMessage(error), ms: clock.now() - startedAt }, { session: id });
    } finally {
      running--;
      sabotage.delete(id);
    }
    return ok && clock.now() > startedAt;
  }

  async function slot(index: number): Promise<void> {
    await sleep(clock, Math.floor((rampMs * index) / concurrency), undefined, 'ramp');
    while (mayStart()) {
      const healthy = await runJob(`j${++started}`);
      if (!healthy) await sleep(clock, BACKOFF_MS, undefined, 'backoff');
    }
  }

  const done = Promise.all(Array.from({ length: concurrency }, (_, i) => slot(i))).then(() => undefined);
  return { done, running: () => running, working, sabotage, stop: () => void (stopped = true) };
}
