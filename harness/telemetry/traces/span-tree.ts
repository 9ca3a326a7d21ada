import type { Violation } from '../../checkers/violation.ts';
import { type AnyEvent, type DriverOp, type HistoryEvent, isPageTraffic, type PageTrafficOp } from '../../history/events.ts';
import { DRIVER, FAULT, JOB, POOL, RUN, SEMCONV, VIOLATION } from '../attributes.ts';
import { type RecordAttributes, type SpanEventRecord, SpanRecord } from './span-record.ts';

/** Span and span-event names: the vocabulary of a run's trace (docs/traces.md). */
export const SPAN = {
  run: 'run',
  job: 'job',
  /** Getting a page: the driver calls made on the job's browser before its work began (launch, context, page). */
  acquire: 'acquire',
  work: 'job.work',
  cleanup: (path: string) => `cleanup ${path}`,
} as const;

export const SPAN_EVENT = {
  counterIncrement: 'counter.increment',
  counterDecrement: 'counter.decrement',
  lockAttach: 'lock.attach',
  lockRelease: 'lock.release',
  sweep: 'lock.sweep',
  watchdog: 'watchdog.fire',
  browserDown: 'browser.down',
  pageCrash: 'page.crash',
  faultStart: 'fault.start',
  faultEnd: 'fault.end',
  faultMissed: 'fault.missed',
  note: 'pool.note',
  quiescent: 'run.quiescent',
  violation: 'violation',
  /** The semantic conventions' name for an error recorded on a span. */
  exception: 'exception',
} as const;

/** A job's page traffic, counted rather than traced: `goto` and `evaluate` calls, returns, failures. */
export class PageTraffic {
  gotoCalls = 0;
  gotoReturns = 0;
  gotoFailed = 0;
  evaluateCalls = 0;
  evaluateReturns = 0;
  evaluateFailed = 0;
}

/** Run-wide figures the fold keeps as it goes. */
export interface RunTally {
  jobs: number;
  jobsFailed: number;
  jobsPlain: number;
  lastT: number;
}

/** One job as its spans take shape: the job span, its work, its cleanup paths. */
class JobSpans {
  work: SpanRecord | undefined = undefined;
  endT: number | undefined = undefined;
  /** Close calls since the last decrement: the next cleanup path claims them. */
  closes: SpanEventRecord[] = [];
  invariants: string[] = [];
  firstViolation: string | undefined = undefined;

  constructor(readonly span: SpanRecord) {}
}

/**
 * Builds the tree of span records from the events (and violations) it is given, in history order:
 * the run, a span per job, and under each job the browser it got (launch, context, page), its work,
 * and each cleanup path. It traces what it is given: choosing which jobs are worth it is the
 * caller's (HistorySpans).
 */
export class SpanTree {
  #run: SpanRecord | undefined;
  readonly #jobs = new Map<string, JobSpans>();
  /** Which session a browser's page was handed to (`job.work`), for events that name only the browser. */
  readonly #sessionOfBrowser = new Map<string, string>();
  /** Launches, contexts and pages not yet handed to a job, by browser. */
  readonly #unclaimed = new Map<string, SpanEventRecord[]>();
  /** Driver calls recorded (all but page traffic) and not yet returned, by the seq of their call. */
  readonly #openCalls = new Map<number, SpanEventRecord>();
  readonly #violationCounts = new Map<string, number>();
  #peakBrowsers = 0;
  #peakMemoryMB = 0;

  event(e: AnyEvent): void {
    switch (e.kind) {
      case 'driver.call':
        return this.#driverCall(e);
      case 'driver.return':
        return this.#driverReturn(e);
      case 'sample':
        if (e.data.browsers > this.#peakBrowsers) this.#peakBrowsers = e.data.browsers;
        if (e.data.memoryMB > this.#peakMemoryMB) this.#peakMemoryMB = e.data.memoryMB;
        return;
      case 'run.start':
        return this.#runStart(e);
      case 'job.start': {
        const span = new SpanRecord(SPAN.job, e.t, { [SEMCONV.sessionId]: e.session ?? '', [JOB.pages]: e.data.pages });
        span.remoteParent = e.data.trace;
        this.#runSpan(e.t).children.push(span);
        if (e.session !== undefined) this.#jobs.set(e.session, new JobSpans(span));
        return;
      }
      case 'job.work':
        return this.#workStart(e);
      case 'job.work.end': {
        const job = this.#job(e.session);
        const work = job?.work;
        if (!job || !work) return;
        work.end = e.t;
        work.attributes[JOB.workOk] = e.data.ok;
        work.attributes[JOB.pagesDone] = e.data.pagesDone;
        if (e.data.error !== undefined) work.addEvent(SPAN_EVENT.exception, e.t, { [SEMCONV.exceptionMessage]: e.data.error });
        if (job.endT !== undefined) work.attributes[JOB.outlivedJobMs] = e.t - job.endT;
        return;
      }
      case 'job.end': {
        const job = this.#job(e.session);
        if (!job) return;
        job.endT = e.t;
        job.span.end = e.t;
        job.span.attributes[JOB.ok] = e.data.ok;
        job.span.attributes[JOB.ms] = e.data.ms;
        if (e.data.error !== undefined) job.span.addEvent(SPAN_EVENT.exception, e.t, { [SEMCONV.exceptionMessage]: e.data.error });
        return;
      }
      case 'pool.counter':
        return this.#counter(e);
      case 'pool.lock':
        return this.#ownerOf(e.session, e.t).addEvent(e.data.op === 'attach' ? SPAN_EVENT.lockAttach : SPAN_EVENT.lockRelease, e.t, {
          [POOL.lockHolders]: e.data.holders,
        });
      case 'pool.sweep':
        return this.#runSpan(e.t).addEvent(
          SPAN_EVENT.sweep,
          e.t,
          { [POOL.sweepSwept]: e.data.swept, [POOL.sweepLocks]: e.data.locks, [POOL.sweepActiveOps]: e.data.activeOps },
          e.at,
        );
      case 'pool.watchdog':
        return this.#ownerOf(e.session, e.t).addEvent(SPAN_EVENT.watchdog, e.t, { [POOL.watchdogAfterMs]: e.data.afterMs }, e.at);
      case 'pool.note':
        return this.#ownerOf(e.session, e.t).addEvent(SPAN_EVENT.note, e.t, { [POOL.note]: e.data.message }, e.at);
      case 'browser.down':
        return this.#ownerOf(e.session ?? this.#sessionOfBrowser.get(e.data.browser), e.t).addEvent(SPAN_EVENT.browserDown, e.t, {
          [JOB.browser]: e.data.browser,
          [DRIVER.browserDownCause]: e.data.cause,
        });
      case 'page.crash':
        return this.#ownerOf(e.session ?? this.#sessionOfBrowser.get(e.data.browser), e.t).addEvent(SPAN_EVENT.pageCrash, e.t, {
          [JOB.browser]: e.data.browser,
          [JOB.page]: e.data.page,
        });
      case 'fault.start':
      case 'fault.end': {
        const attributes: RecordAttributes = { [FAULT.kind]: e.data.fault, [FAULT.id]: e.data.id, [FAULT.target]: e.data.target };
        if (e.kind === 'fault.start' && e.data.forMs !== undefined) attributes[FAULT.forMs] = e.data.forMs;
        return this.#ownerOf(e.session, e.t).addEvent(
          e.kind === 'fault.start' ? SPAN_EVENT.faultStart : SPAN_EVENT.faultEnd,
          e.t,
          attributes,
        );
      }
      case 'fault.missed':
        return this.#runSpan(e.t).addEvent(SPAN_EVENT.faultMissed, e.t, { [FAULT.kind]: e.data.fault });
      case 'run.quiescent':
        return this.#runSpan(e.t).addEvent(SPAN_EVENT.quiescent, e.t, {
          [RUN.pendingTimers]: e.data.pendingTimers,
          [RUN.timerLabels]: e.data.timerLabels,
        });
      case 'run.end': {
        const run = this.#runSpan(e.t);
        run.end = e.t;
        run.attributes[RUN.endReason] = e.data.reason;
        run.attributes[RUN.jobsRunning] = e.data.jobsRunning;
        if (e.data.error !== undefined) run.attributes[RUN.error] = e.data.error;
        return;
      }
    }
  }

  /** A violation marks its session's job span ERROR (the run span when it has no session) and is an event there. */
  violation(v: Violation): void {
    this.#violationCounts.set(v.invariant, (this.#violationCounts.get(v.invariant) ?? 0) + 1);
    const job = this.#job(v.session);
    const span = job?.span ?? this.#runSpan(v.t);
    const attributes: RecordAttributes = {
      [VIOLATION.invariant]: v.invariant,
      [VIOLATION.message]: v.message,
      [VIOLATION.historySeq]: v.seq,
    };
    for (const [name, value] of Object.entries(v.values))
      if (!Array.isArray(value) || value.length <= LISTED) attributes[VIOLATION.valuePrefix + name] = value;
    span.addEvent(SPAN_EVENT.violation, v.t, attributes, v.at);
    if (!job) return;
    if (!job.invariants.includes(v.invariant)) job.invariants.push(v.invariant);
    job.firstViolation ??= v.message;
    job.span.error = `${job.invariants.join(', ')}: ${job.firstViolation}`;
  }

  /**
   * The tree, every span ended: what the run left unfinished (a job still running, work never
   * stopped, a call that never returned) ends with the run and says so.
   */
  finish(tally: RunTally, trafficOf: (session: string) => PageTraffic | undefined): SpanRecord {
    const run = this.#runSpan(0);
    const end = run.end ?? tally.lastT;
    run.end = end;
    for (const call of this.#openCalls.values()) call.attributes[JOB.unfinished] = true;
    this.#openCalls.clear();
    for (const [session, job] of this.#jobs) finishJob(job, end, trafficOf(session));
    // Browsers never handed to a job (a failed launch, a pool that launches ahead) stay on the run.
    for (const [browser, calls] of this.#unclaimed) {
      const acquire = new SpanRecord(SPAN.acquire, calls[0]!.t, { [JOB.browser]: browser });
      acquire.events.push(...calls);
      acquire.end = Math.max(
        ...calls.map((call) => (call.attributes[JOB.unfinished] ? end : call.t + Number(call.attributes[DRIVER.ms] ?? 0))),
      );
      run.children.push(acquire);
    }
    this.#unclaimed.clear();

    run.attributes[RUN.jobs] = tally.jobs;
    run.attributes[RUN.jobsFailed] = tally.jobsFailed;
    run.attributes[RUN.jobsPlain] = tally.jobsPlain;
    run.attributes[RUN.peakBrowsers] = this.#peakBrowsers;
    run.attributes[RUN.peakMemoryMB] = this.#peakMemoryMB;
    let total = 0;
    for (const [invariant, count] of this.#violationCounts) {
      run.attributes[RUN.violationsPrefix + invariant] = count;
      total += count;
    }
    run.attributes[RUN.violationCount] = total;
    if (total > 0)
      run.error = `${total} violation${total === 1 ? '' : 's'}: ${[...this.#violationCounts].map(([name, count]) => `${name} ${count}`).join(', ')}`;
    return run;
  }

  #runStart(e: HistoryEvent<'run.start'>): void {
    const d = e.data;
    const attributes: RecordAttributes = {
      [RUN.scenario]: d.scenario,
      [RUN.pool]: d.pool,
      [RUN.driver]: d.driver,
      [RUN.seed]: d.seed,
      [RUN.durationMs]: d.durationMs,
      [RUN.timeScale]: d.timeScale,
    };
    if (d.runId !== undefined) attributes[RUN.runId] = d.runId;
    for (const [key, value] of Object.entries(d.pool_config)) {
      if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
        attributes[RUN.poolConfigPrefix + key] = value;
    }
    this.#run ??= new SpanRecord(SPAN.run, e.t, attributes);
    Object.assign(this.#run.attributes, attributes);
  }

  #workStart(e: HistoryEvent<'job.work'>): void {
    const job = this.#job(e.session);
    if (!job || e.session === undefined) return;
    const browser = e.data.browser;
    this.#sessionOfBrowser.set(browser, e.session);
    job.span.attributes[JOB.browser] = browser;
    // The launch, context and page were called before anyone knew whose they were: now they are this job's.
    const acquired = this.#unclaimed.get(browser);
    if (acquired) {
      const acquire = new SpanRecord(SPAN.acquire, acquired[0]!.t, {});
      acquire.end = e.t;
      acquire.events.push(...acquired);
      job.span.children.push(acquire);
      this.#unclaimed.delete(browser);
    }
    job.work = new SpanRecord(SPAN.work, e.t, {});
    job.span.children.push(job.work);
  }

  /** A launch, context, page or close: few per job, each an event (its duration an attribute) on the span it served. */
  #driverCall(e: HistoryEvent<'driver.call'>): void {
    const op = e.data.op;
    if (isPageTraffic(op)) return; // page traffic is counted, not traced
    const target = e.data.target;
    const browser = browserOf(target);
    const call: SpanEventRecord = { name: driverCallName(op, target), t: e.t, attributes: {}, at: undefined };
    this.#openCalls.set(e.seq, call);
    const job = this.#job(e.session ?? this.#sessionOfBrowser.get(browser));
    if (!job) {
      let pending = this.#unclaimed.get(browser);
      if (!pending) this.#unclaimed.set(browser, (pending = []));
      pending.push(call);
    } else if (op === 'close') job.closes.push(call);
    else job.span.events.push(call);
  }

  #driverReturn(e: HistoryEvent<'driver.return'>): void {
    const call = this.#openCalls.get(e.data.call);
    if (!call) return;
    this.#openCalls.delete(e.data.call);
    call.attributes[DRIVER.ms] = e.t - call.t;
    if (e.data.ok) return;
    call.attributes[DRIVER.ok] = false;
    if (e.data.error !== undefined) call.attributes[SEMCONV.exceptionMessage] = e.data.error;
  }

  /** Counter changes are events on the job; a decrement also ends a cleanup path, which becomes a span holding the closes it made. */
  #counter(e: HistoryEvent<'pool.counter'>): void {
    const { delta, value, path } = e.data;
    const attributes: RecordAttributes = { [POOL.counterDelta]: delta, [POOL.counterValue]: value, [POOL.counterPath]: path };
    const job = this.#job(e.session);
    const owner = job?.span ?? this.#runSpan(e.t);
    // The call site tells the decrement paths apart; increments all come from where slots are taken.
    owner.addEvent(delta > 0 ? SPAN_EVENT.counterIncrement : SPAN_EVENT.counterDecrement, e.t, attributes, delta < 0 ? e.at : undefined);
    if (!job || delta > 0) return;
    const closes = job.closes;
    job.closes = [];
    const start = closes.reduce((earliest, close) => Math.min(earliest, close.t), e.t);
    const cleanup = new SpanRecord(SPAN.cleanup(path), start, { [POOL.counterPath]: path, [POOL.counterValue]: value });
    cleanup.end = e.t;
    cleanup.events.push(...closes);
    job.span.children.push(cleanup);
  }

  #job(session: string | undefined): JobSpans | undefined {
    return session === undefined ? undefined : this.#jobs.get(session);
  }

  /** The job span of a session, or the run span when there is none. */
  #ownerOf(session: string | undefined, t: number): SpanRecord {
    return this.#job(session)?.span ?? this.#runSpan(t);
  }

  /** The run span; made up from the first event if the history lacks its run.start. */
  #runSpan(t: number): SpanRecord {
    return (this.#run ??= new SpanRecord(SPAN.run, t, {}));
  }
}

function finishJob(job: JobSpans, end: number, traffic: PageTraffic | undefined): void {
  // Closes no decrement followed stay on the job.
  job.span.events.push(...job.closes);
  job.closes = [];
  closeUnfinished(job.span, end);
  if (job.work) closeUnfinished(job.work, end);
  if (!traffic) return;
  const counted = job.work ?? job.span;
  counted.attributes[DRIVER.gotoCalls] = traffic.gotoCalls;
  counted.attributes[DRIVER.evaluateCalls] = traffic.evaluateCalls;
  // Failures and calls that never returned (a stall) only where there are some.
  setIfAny(counted.attributes, DRIVER.gotoFailed, traffic.gotoFailed);
  setIfAny(counted.attributes, DRIVER.gotoPending, traffic.gotoCalls - traffic.gotoReturns);
  setIfAny(counted.attributes, DRIVER.evaluateFailed, traffic.evaluateFailed);
  setIfAny(counted.attributes, DRIVER.evaluatePending, traffic.evaluateCalls - traffic.evaluateReturns);
}

function closeUnfinished(span: SpanRecord, end: number): void {
  if (span.end !== undefined) return;
  span.end = Math.max(end, span.start);
  span.attributes[JOB.unfinished] = true;
}

/** `b3/p2` → `b3`. */
export function browserOf(target: string): string {
  const slash = target.indexOf('/');
  return slash < 0 ? target : target.slice(0, slash);
}

/**
 * A violation's short lists (the paths of a double release) are kept; long ones (the id of every
 * live session or browser, at every violation) are report.json's to give, found there by the seq.
 */
const LISTED = 5;

function setIfAny(attributes: RecordAttributes, name: string, count: number): void {
  if (count > 0) attributes[name] = count;
}

/** `browser.launch`, `context.newPage`, `page.close`: the object the call was made on, then the call. */
function driverCallName(op: Exclude<DriverOp, PageTrafficOp>, target: string): string {
  if (op === 'launch') return 'browser.launch';
  const slash = target.indexOf('/');
  const object = slash < 0 ? 'browser' : target[slash + 1] === 'c' ? 'context' : 'page';
  return `${object}.${op}`;
}
