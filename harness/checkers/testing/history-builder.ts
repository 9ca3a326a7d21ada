import type { AnyEvent, EventData, EventKind, HistoryEvent } from '../../history/events.ts';
import { createCheckSuite } from '../check-history.ts';
import { asChecker, type Invariant } from '../invariant.ts';
import type { Violation } from '../violation.ts';

interface EmitOptions {
  session?: string | undefined;
  at?: string | undefined;
}

/**
 * Synthetic histories for the checkers' tests: stamps seq and time like the recorder does, keeps
 * the counter's running value and pairs driver returns with their calls, so a test only says
 * what happens.
 */
export class HistoryBuilder {
  readonly events: AnyEvent[] = [];
  #t = 0;
  #counter = 0;
  readonly #pendingLaunch = new Map<string, number>();
  readonly #pendingClose = new Map<string, number>();

  /** Let virtual time pass before the next event. */
  advance(ms: number): this {
    this.#t += ms;
    return this;
  }

  emit<K extends EventKind>(kind: K, data: EventData[K], options: EmitOptions = {}): HistoryEvent<K> {
    const event: HistoryEvent<K> = {
      seq: this.events.length,
      t: this.#t,
      wall: this.#t,
      kind,
      ...(options.session === undefined ? {} : { session: options.session }),
      data,
      ...(options.at === undefined ? {} : { at: options.at }),
    };
    this.events.push(event as AnyEvent);
    return event;
  }

  /** The run starts; `runId` as a real driver's run has one (its browsers' processes are sampled). */
  start(poolConfig: Record<string, unknown> = { maxBrowsers: 50 }, runId?: string): HistoryEvent<'run.start'> {
    return this.emit('run.start', {
      scenario: 'test',
      pool: 'test',
      driver: runId === undefined ? 'sim' : 'chromium',
      seed: 1,
      durationMs: 60_000,
      pool_config: poolConfig,
      timeScale: 1,
      ...(runId === undefined ? {} : { runId }),
    });
  }

  /** A launch is called: the browser is in flight until `launched`. */
  launch(browser: string, session?: string): HistoryEvent<'driver.call'> {
    const call = this.emit('driver.call', { op: 'launch', target: browser }, { session });
    this.#pendingLaunch.set(browser, call.seq);
    return call;
  }

  /** The launch completes as the sim driver reports it: the browser is up, then the call returns. */
  launched(browser: string, session?: string): HistoryEvent<'driver.return'> {
    this.up(browser, session);
    return this.returns('launch', browser, this.#take(this.#pendingLaunch, browser), session);
  }

  /** The launch fails: no browser. */
  launchFailed(browser: string, session?: string): HistoryEvent<'driver.return'> {
    return this.returns('launch', browser, this.#take(this.#pendingLaunch, browser), session, 'launch failed');
  }

  up(browser: string, session?: string): HistoryEvent<'browser.up'> {
    return this.emit('browser.up', { browser, memoryMB: 300 }, { session });
  }

  /**
   * The browser goes down and, as a driver does when the pool's listeners are synchronous, its
   * disconnect is handled at once; `handled: false` leaves that to `handled()`.
   */
  down(browser: string, cause: 'close' | 'crash' | 'kill' = 'close', session?: string, handled = true): HistoryEvent<'browser.down'> {
    const down = this.emit('browser.down', { browser, cause }, { session });
    if (handled) this.handled(browser);
    return down;
  }

  handled(browser: string, listeners = 1): HistoryEvent<'browser.handled'> {
    return this.emit('browser.handled', { browser, listeners });
  }

  /** A close of `target` (a browser, or a `b1/c1` context) is called. */
  close(target: string, session?: string): HistoryEvent<'driver.call'> {
    const call = this.emit('driver.call', { op: 'close', target }, { session });
    this.#pendingClose.set(target, call.seq);
    return call;
  }

  /** The close completes: the browser goes down, then the call returns. */
  closed(browser: string, session?: string): HistoryEvent<'driver.return'> {
    this.down(browser, 'close', session);
    return this.returns('close', browser, this.#take(this.#pendingClose, browser), session);
  }

  /** A context (`newContext` on a browser) or page (`newPage` on a context) opens, and its call returns with its id. */
  open(op: 'newContext' | 'newPage', target: string, created: string, session?: string): HistoryEvent<'driver.return'> {
    const call = this.emit('driver.call', { op, target }, { session });
    return this.emit('driver.return', { op, target, call: call.seq, ok: true, created }, { session });
  }

  /** A page or context is closed, and its close returns. */
  closePart(target: string, session?: string): HistoryEvent<'driver.return'> {
    const call = this.emit('driver.call', { op: 'close', target }, { session });
    return this.returns('close', target, call.seq, session);
  }

  returns(
    op: EventData['driver.return']['op'],
    target: string,
    call: number,
    session?: string,
    error?: string,
  ): HistoryEvent<'driver.return'> {
    const data = error === undefined ? { op, target, call, ok: true } : { op, target, call, ok: false, error };
    return this.emit('driver.return', data, { session });
  }

  settle(data: EventData['settle']): HistoryEvent<'settle'> {
    return this.emit('settle', data);
  }

  /** The pool reports a counter change; the running value is kept here. */
  counter(session: string | undefined, delta: 1 | -1, path: string, at?: string): HistoryEvent<'pool.counter'> {
    this.#counter += delta;
    return this.emit('pool.counter', { delta, value: this.#counter, path }, { session, at });
  }

  /** A lock of `session` is attached or released; `by` another session's code, when it is not the lock's own. */
  lock(session: string, op: 'attach' | 'release', holders: number, at?: string, by?: string): HistoryEvent<'pool.lock'> {
    return this.emit('pool.lock', by === undefined ? { op, holders } : { op, holders, by }, { session, at });
  }

  watchdog(job: string, afterMs = 300_000, at?: string): HistoryEvent<'pool.watchdog'> {
    return this.emit('pool.watchdog', { afterMs }, { session: job, at });
  }

  jobStart(job: string, pages = 1): HistoryEvent<'job.start'> {
    return this.emit('job.start', { pages }, { session: job });
  }

  /** `listeners`: what the driver counts on the browser as the work begins. */
  jobWork(job: string, browser: string, page?: string, listeners?: number): HistoryEvent<'job.work'> {
    const data: EventData['job.work'] = page === undefined ? { browser } : { browser, page };
    if (listeners !== undefined) data.listeners = listeners;
    return this.emit('job.work', data, { session: job });
  }

  jobWorkEnd(job: string, ok = true): HistoryEvent<'job.work.end'> {
    return this.emit('job.work.end', { ok, pagesDone: 1 }, { session: job });
  }

  jobEnd(job: string, ok = true, at?: string): HistoryEvent<'job.end'> {
    return this.emit('job.end', { ok, ms: 1000 }, { session: job, at });
  }

  timer(owner: string, label: string): HistoryEvent<'timer.fire'> {
    return this.emit('timer.fire', { owner, label });
  }

  quiescent(pendingTimers = 0, timerLabels: string[] = []): HistoryEvent<'run.quiescent'> {
    return this.emit('run.quiescent', { pendingTimers, timerLabels });
  }

  #take(pending: Map<string, number>, target: string): number {
    const call = pending.get(target);
    if (call === undefined) throw new Error(`no pending call on ${target}`);
    pending.delete(target);
    return call;
  }
}

/** The violations one invariant finds in a history, checked on its own. */
export function violationsOf(invariant: Invariant, events: Iterable<AnyEvent>): Violation[] {
  const suite = createCheckSuite([invariant]);
  for (const event of events) suite.step(event);
  return suite.violations;
}

/** The invariant's own state after `events`, run alone (`asChecker`): for tests of what it keeps. */
export function stateAfter<State>(invariant: Invariant<State>, events: Iterable<AnyEvent>): State {
  const checker = asChecker(invariant);
  const at = checker.init();
  for (const event of events) checker.step(at, event);
  return at.state;
}
