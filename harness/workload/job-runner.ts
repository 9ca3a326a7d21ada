import type { Clock } from '../clock/clock.ts';
import type { Driver } from '../drivers/types.ts';
import { errorMessage } from '../errors.ts';
import { captureCallSite } from '../history/call-site.ts';
import type { EventData, TraceParent } from '../history/events.ts';
import type { Recorder } from '../history/recorder.ts';
import type { Job, Pool } from '../pool/contract.ts';
import { reviewScrape, type Sabotage } from './review-job.ts';

/** One review scrape to hand to the pool: which store, how many of its pages. */
export interface JobSpec {
  id: string;
  store: string;
  pages: number;
  /** The span of the request that asked for the job, when it came over HTTP with a trace. */
  trace?: TraceParent;
  /** The caller gives up on the job this long after it started, if it has not ended by then: `job.signal` aborts. */
  abandonAfterMs?: number;
  /** Aborts when the caller gives up on the job (an HTTP client that hung up): `job.signal` aborts. */
  callerGone?: AbortSignal;
}

/** Why an abandoned job's signal aborted: `how` says when or why the caller gave up. */
export class JobAbandoned extends Error {
  constructor(jobId: string, how: string) {
    super(`caller abandoned ${jobId} ${how}`);
    this.name = 'JobAbandoned';
  }
}

export type JobOutcome = { ok: true; reviews: number; ms: number } | { ok: false; error: string; ms: number };

/** What runs jobs through the pool, whoever decides when (the scenario's slots, or the service's requests). */
export interface JobRunner {
  /** Jobs started and not yet settled. */
  running(): number;
  /** Jobs whose work is running now, with the browser it runs in: what faults can target. */
  readonly working: ReadonlyMap<string, string>;
  readonly sabotage: Map<string, Sabotage>;
  /** Run one job through `pool.run`, recording its start, its work and its end; never throws. */
  run(spec: JobSpec): Promise<JobOutcome>;
}

/** Each job is the review scrape of a store's pages at `origin`, recorded as `job.*` events. */
export function createJobRunner(
  pool: Pool,
  driver: Pick<Driver, 'browserIdOf' | 'pageIdOf' | 'browserListenersOf'>,
  recorder: Recorder,
  clock: Clock,
  origin: string,
): JobRunner {
  const working = new Map<string, string>();
  const sabotage = new Map<string, Sabotage>();
  let running = 0;

  /**
   * The caller's signal for `job.signal`, when the caller may give up: at `abandonAfterMs`, or when
   * `callerGone` aborts, whichever comes first and only until `settled`. Either way the same
   * `job.abandon` is recorded, so the pool's handling of it is judged the same in-process and over HTTP.
   */
  function callerOf(id: string, { abandonAfterMs, callerGone }: JobSpec): { signal: AbortSignal; settled(): void } | undefined {
    if (abandonAfterMs === undefined && callerGone === undefined) return undefined;
    const caller = new AbortController();
    const abandon = (how: string) => {
      if (caller.signal.aborted) return;
      recorder.emit('job.abandon', { working: working.has(id) }, { session: id });
      caller.abort(new JobAbandoned(id, how));
    };
    const timer =
      abandonAfterMs === undefined ? undefined : clock.setTimeout(() => abandon(`after ${abandonAfterMs} ms`), abandonAfterMs, 'abandon');
    const gone = () => abandon(`(${errorMessage(callerGone?.reason)})`);
    if (callerGone?.aborted) gone();
    else callerGone?.addEventListener('abort', gone, { once: true });
    return {
      signal: caller.signal,
      settled: () => {
        clock.clearTimeout(timer);
        callerGone?.removeEventListener('abort', gone);
      },
    };
  }

  async function run(spec: JobSpec): Promise<JobOutcome> {
    const { id, store, pages, trace } = spec;
    const plan: Sabotage = { throwNext: false };
    sabotage.set(id, plan);
    let pagesDone = 0;
    const scrape = reviewScrape({ jobId: id, origin, store, pages }, plan, () => pagesDone++);
    const startedAt = clock.now();
    running++;
    recorder.emit('job.start', trace === undefined ? { pages } : { pages, trace }, { session: id });
    // After job.start: a caller already gone abandons a job that has started.
    const caller = callerOf(id, spec);
    const job: Job = {
      id,
      ...(caller === undefined ? {} : { signal: caller.signal }),
      work: async (page: Parameters<typeof scrape>[0], signal: AbortSignal) => {
        const browser = driver.browserIdOf(page) ?? 'unknown';
        const pageId = driver.pageIdOf(page);
        const listeners = driver.browserListenersOf(page);
        const data: EventData['job.work'] = pageId === undefined ? { browser } : { browser, page: pageId };
        if (listeners !== undefined) data.listeners = listeners;
        // Where the pool called the work: the line a work that outlives its pool is blamed on.
        recorder.emit('job.work', data, { session: id, at: captureCallSite() });
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
    try {
      const result = await pool.run(job);
      const ms = clock.now() - startedAt;
      recorder.emit('job.end', { ok: true, ms }, { session: id });
      // A pool hands back what the work returned; one that returns something else still finished the job.
      return { ok: true, reviews: typeof result === 'number' ? result : 0, ms };
    } catch (error) {
      const ms = clock.now() - startedAt;
      recorder.emit('job.end', { ok: false, error: errorMessage(error), ms }, { session: id });
      return { ok: false, error: errorMessage(error), ms };
    } finally {
      caller?.settled();
      running--;
      sabotage.delete(id);
    }
  }

  return { running: () => running, working, sabotage, run };
}
