import type { Violation } from '../../checkers/violation.ts';
import { type AnyEvent, isPageTraffic } from '../../history/events.ts';
import type { SpanRecord } from './span-record.ts';
import { browserOf, PageTraffic, SpanTree } from './span-tree.ts';
import type { TraceDetail } from './trace-config.ts';

export { browserOf, SPAN, SPAN_EVENT } from './span-tree.ts';

/** What the fold learns of a job while the run goes: its page traffic, and whether anything but the plain lifecycle happened. */
class JobFacts extends PageTraffic {
  /** A violation, a failure, a fault, a watchdog, a crash, a failed call, work outliving its job. */
  notable = false;
  counterChanges = 0;
  working = false;
  ended = false;
  workEnded = false;
}

/**
 * Folds the history (and the violations found in it) into a tree of span records: the run, a span
 * per job (per notable job, by default), and under each job the browser it got, its work and each
 * cleanup path (SpanTree). Built from events only, so it reads a saved history as well as a live run.
 *
 * Spans are built when the run is over, from the events kept on the way. While the run goes, the
 * fold counts page traffic (nearly every event) and notes what makes a job notable; the other
 * events are kept as they are. At the end only the notable jobs' events are built into spans: a
 * plain job (nine in ten) costs its events' references, not their records.
 */
export class HistorySpans {
  readonly #jobs = new Map<string, JobFacts>();
  /** Which session each browser's page was handed to (`job.work`), for events that name only the browser. */
  readonly #sessionOfBrowser = new Map<string, string>();
  /** Every event but page traffic, settles, timers and samples of the OS, and every violation, in order. */
  readonly #kept: Array<AnyEvent | Violation> = [];
  /** The session each kept entry belongs to, as the span tree will attribute it. */
  readonly #owners: Array<string | undefined> = [];
  /** Kept launches, contexts and pages of browsers not yet handed to a job: they are the next job.work's. */
  readonly #unclaimed = new Map<string, number[]>();
  #jobsFailed = 0;
  #lastT = 0;

  constructor(private readonly detail: TraceDetail = 'notable') {}

  /**
   * Page traffic is handled here, in a function small enough to stay optimized; the rest goes to
   * one whose many cases would otherwise deoptimize it each time a kind shows up for the first time.
   */
  event(e: AnyEvent): void {
    this.#lastT = e.t;
    if (e.kind === 'driver.call') {
      const op = e.data.op;
      if (!isPageTraffic(op)) return this.#call(e);
      const job = this.#job(e.session);
      if (job !== undefined) op === 'goto' ? job.gotoCalls++ : job.evaluateCalls++;
    } else if (e.kind === 'driver.return') {
      const op = e.data.op;
      if (!isPageTraffic(op)) return this.#callReturned(e);
      const job = this.#job(e.session);
      if (job === undefined) return;
      if (op === 'goto') {
        job.gotoReturns++;
        if (!e.data.ok) job.gotoFailed++;
      } else {
        job.evaluateReturns++;
        if (!e.data.ok) job.evaluateFailed++;
      }
    } else if (e.kind !== 'settle' && e.kind !== 'timer.fire' && e.kind !== 'os.sample' && e.kind !== 'browser.up') this.#rareEvent(e);
  }

  violation(v: Violation): void {
    this.#keep(v, v.session);
    const job = this.#job(v.session);
    if (job) job.notable = true;
  }

  /** The tree, every span ended (see SpanTree.finish). */
  finish(): SpanRecord {
    const plain = new Set<string>();
    if (this.detail === 'notable') for (const [session, job] of this.#jobs) if (isPlain(job)) plain.add(session);
    const tree = new SpanTree();
    for (let i = 0; i < this.#kept.length; i++) {
      const entry = this.#kept[i]!;
      if (!('kind' in entry)) tree.violation(entry);
      else if (plain.size === 0 || !plain.has(this.#owners[i] ?? '')) tree.event(entry);
    }
    return tree.finish({ jobs: this.#jobs.size, jobsFailed: this.#jobsFailed, jobsPlain: plain.size, lastT: this.#lastT }, (session) =>
      this.#jobs.get(session),
    );
  }

  #rareEvent(e: AnyEvent): void {
    this.#keep(e, this.#ownerOf(e));
    switch (e.kind) {
      case 'job.start': {
        if (e.session === undefined) return;
        const job = new JobFacts();
        // A caller that sent a trace context asked to see this job in its trace.
        job.notable = e.data.trace !== undefined;
        this.#jobs.set(e.session, job);
        return;
      }
      case 'job.work': {
        const job = this.#job(e.session);
        if (!job || e.session === undefined) return;
        job.working = true;
        this.#sessionOfBrowser.set(e.data.browser, e.session);
        for (const index of this.#unclaimed.get(e.data.browser) ?? []) this.#owners[index] = e.session;
        this.#unclaimed.delete(e.data.browser);
        return;
      }
      case 'job.work.end': {
        const job = this.#job(e.session);
        if (!job) return;
        // Work that failed, or outlived its job (the watchdog's Promise.race did not stop it).
        if (!e.data.ok || job.ended) job.notable = true;
        job.workEnded = true;
        return;
      }
      case 'job.end': {
        const job = this.#job(e.session);
        if (!job) return;
        job.ended = true;
        if (!e.data.ok) {
          this.#jobsFailed++;
          job.notable = true;
        }
        return;
      }
      case 'pool.counter': {
        const job = this.#job(e.session);
        if (!job) return;
        const changes = ++job.counterChanges;
        // One slot taken and given back once is the plain story; anything else is worth the detail.
        if (changes > 2 || e.data.delta < 0 !== (changes === 2)) job.notable = true;
        return;
      }
      case 'pool.watchdog':
      case 'pool.note':
      case 'fault.start':
      case 'fault.end':
        return this.#markNotable(e.session);
      case 'page.crash':
        return this.#markNotable(this.#ownerOf(e));
      case 'browser.down':
        if (e.data.cause !== 'close') this.#markNotable(this.#ownerOf(e));
        return;
    }
  }

  /** A launch, context, page or close: a browser's first calls are made before anyone knows whose it is. */
  #call(e: AnyEvent & { kind: 'driver.call' }): void {
    const owner = this.#ownerOf(e);
    this.#keep(e, owner);
    if (owner !== undefined) return;
    const browser = browserOf(e.data.target);
    let pending = this.#unclaimed.get(browser);
    if (!pending) this.#unclaimed.set(browser, (pending = []));
    pending.push(this.#kept.length - 1);
  }

  /** A launch, context, page or close returned: a failure makes its job notable. */
  #callReturned(e: AnyEvent & { kind: 'driver.return' }): void {
    const owner = this.#ownerOf(e);
    this.#keep(e, owner);
    if (!e.data.ok) this.#markNotable(owner);
  }

  #keep(entry: AnyEvent | Violation, owner: string | undefined): void {
    this.#kept.push(entry);
    this.#owners.push(owner);
  }

  #markNotable(session: string | undefined): void {
    const job = this.#job(session);
    if (job) job.notable = true;
  }

  /** The session an event belongs to, by its own session or by the browser it names (as the span tree attributes it). */
  #ownerOf(e: AnyEvent): string | undefined {
    if (e.session !== undefined) return e.session;
    switch (e.kind) {
      case 'driver.call':
      case 'driver.return':
        return this.#sessionOfBrowser.get(browserOf(e.data.target));
      case 'browser.down':
      case 'page.crash':
        return this.#sessionOfBrowser.get(e.data.browser);
      default:
        return undefined;
    }
  }

  #job(session: string | undefined): JobFacts | undefined {
    return session === undefined ? undefined : this.#jobs.get(session);
  }
}

/** Nothing happened but the plain lifecycle, and all of it within the run. */
function isPlain(job: JobFacts): boolean {
  // A slot taken and never given back is a leak (a pool that reports no counter changes has none).
  const slotsBalanced = job.counterChanges === 0 || job.counterChanges === 2;
  return (
    !job.notable &&
    slotsBalanced &&
    job.working &&
    job.ended &&
    job.workEnded &&
    job.gotoCalls === job.gotoReturns &&
    job.evaluateCalls === job.evaluateReturns
  );
}
