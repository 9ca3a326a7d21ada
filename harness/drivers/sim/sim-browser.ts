import type { Clock, TimerId } from '../../clock/clock.ts';
import type { BadPageKind, DriverOp } from '../../history/events.ts';
import { reviewsFor } from '../../site/site-model.ts';
import { launchFailure } from '../driver-events.ts';
import { Emitter } from '../listeners.ts';
import type { BrowserLike, ContextLike, PageLike } from '../types.ts';
import type { SimBrowserHost } from './sim-host.ts';
import { SimMemory } from './sim-memory.ts';

/** Playwright's message for a call on something that is gone. */
export const CLOSED_MESSAGE = 'Target page, context or browser has been closed';
/** Playwright's message for a call on a page whose renderer died. */
export const CRASHED_MESSAGE = 'Target crashed';
/** What Playwright rejects a navigation in flight with when the renderer dies. */
export const PAGE_CRASHED_MESSAGE = 'Page crashed';

type State = 'alive' | 'closing' | 'closed' | 'crashed';

/** A call in progress: it completes on a timer, or is rejected when its page or browser goes. */
interface Pending {
  op: DriverOp;
  page: SimPage | undefined;
  waitsOnPage: boolean;
  timer: TimerId | undefined;
  stalled: boolean;
  fail(error: Error): void;
  finish(): void;
}

export class SimBrowser extends Emitter<'disconnected'> implements BrowserLike {
  state: State = 'alive';
  readonly openContexts = new Set<SimContext>();
  readonly #pending = new Set<Pending>();
  #nextChild = 1;
  #closing: Promise<void> | undefined;
  /** Faults armed on this browser. */
  stallNext = false;
  hungUntil = 0;
  slowCloseMs: number | undefined;
  /** The site's bad answers to this browser's next page requests, in turn (the badPage fault). */
  readonly badPages: BadPageKind[] = [];
  /** Real memory for what the browser process accounts, held until it is gone. */
  memory: SimMemory | undefined;

  constructor(
    readonly id: string,
    readonly driver: SimBrowserHost,
    private readonly clock: Clock,
  ) {
    super();
    this.memory = new SimMemory(driver.memoryMB.browser);
  }

  childId(kind: 'c' | 'p'): string {
    return `${this.id}/${kind}${this.#nextChild++}`;
  }

  get pageCount(): number {
    let n = 0;
    for (const context of this.openContexts) n += context.openPages.size;
    return n;
  }

  contexts(): SimContext[] {
    return [...this.openContexts];
  }

  isConnected(): boolean {
    return this.state === 'alive' || this.state === 'closing';
  }

  async newContext(): Promise<SimContext> {
    return this.call(
      'newContext',
      this.id,
      this.driver.timing.contextMs,
      () => {
        const context = new SimContext(this.childId('c'), this);
        this.openContexts.add(context);
        return context;
      },
      { creates: true },
    );
  }

  async newPage(): Promise<SimPage> {
    const context = await this.newContext();
    return context.newPage();
  }

  close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'crashed') return this.call('close', this.id, 0, () => undefined);
    this.state = 'closing';
    this.#closing ??= this.call('close', this.id, this.slowCloseMs ?? this.driver.timing.closeMs, () => this.#gone('close'), {
      at: true,
      closing: true,
    });
    return this.#closing;
  }

  /** Fault: the browser process dies. */
  crash(): void {
    if (!this.isConnected()) return;
    this.#gone('crash');
  }

  /**
   * Fault: the renderer dies; the browser lives on. As with Playwright on Chromium: a navigation in
   * flight fails ("Page crashed"), an `evaluate` in flight never settles until its page is closed,
   * and every later call fails at once ("Target crashed").
   */
  crashPages(): void {
    for (const context of this.openContexts) {
      for (const page of context.openPages) {
        if (page.crashed) continue;
        page.crashed = true;
        this.driver.events.pageCrash(page.id, this.id);
        page.crash();
      }
    }
    for (const pending of [...this.#pending]) {
      if (!pending.page?.crashed) continue;
      if (pending.op === 'goto') pending.fail(new Error(`goto: ${PAGE_CRASHED_MESSAGE}`));
      else if (pending.op === 'evaluate') {
        this.clock.clearTimeout(pending.timer);
        pending.stalled = true;
      }
    }
  }

  /** Fault: stall the navigations in flight, or the next one if none is. */
  stall(): void {
    let stalledOne = false;
    for (const pending of this.#pending) {
      if (!pending.waitsOnPage) continue;
      this.clock.clearTimeout(pending.timer);
      pending.stalled = true;
      stalledOne = true;
    }
    if (!stalledOne) this.stallNext = true;
  }

  /**
   * Run one driver call: record it, complete it after `ms` of (virtual) time with `result()`,
   * or reject it at once if the target is gone.
   */
  call<T>(
    op: DriverOp,
    target: string,
    ms: number,
    result: () => T,
    options: { page?: SimPage; waitsOnPage?: boolean; url?: string; at?: boolean; closing?: boolean; creates?: boolean } = {},
  ): Promise<T> {
    const call = this.driver.events.call(op, target, this.id, options.url, options.at ?? false);
    return new Promise<T>((resolve, reject) => {
      const fail = (error: Error) => {
        this.#pending.delete(pending);
        this.clock.clearTimeout(pending.timer);
        this.driver.events.return(op, target, this.id, call, error);
        reject(error);
      };
      const finish = () => {
        if (!this.#pending.has(pending)) return;
        if (pending.waitsOnPage && this.clock.now() < this.hungUntil) {
          pending.timer = this.clock.setTimeout(finish, this.hungUntil - this.clock.now(), 'sim');
          return;
        }
        this.#pending.delete(pending);
        this.clock.clearTimeout(pending.timer);
        let value: T;
        try {
          value = result();
        } catch (error) {
          this.driver.events.return(op, target, this.id, call, error as Error);
          return reject(error);
        }
        this.driver.events.return(op, target, this.id, call, undefined, options.creates ? (value as { id: string }).id : undefined);
        resolve(value);
      };
      const pending: Pending = {
        op,
        page: options.page,
        waitsOnPage: options.waitsOnPage ?? false,
        timer: undefined,
        stalled: false,
        fail,
        finish,
      };
      const closedTarget = options.closing ? false : !this.isConnected() || this.state === 'closing' || options.page?.isClosed();
      if (closedTarget && op !== 'close') return fail(new Error(`${op}: ${CLOSED_MESSAGE}`));
      if (options.page?.crashed && op !== 'close') return fail(new Error(`${op}: ${CRASHED_MESSAGE}`));
      this.#pending.add(pending);
      if (pending.waitsOnPage && this.stallNext) {
        this.stallNext = false;
        pending.stalled = true;
        return;
      }
      pending.timer = this.clock.setTimeout(finish, ms, 'sim');
    });
  }

  /** Reject the calls waiting on `page`. */
  failPending(page: SimPage): void {
    for (const pending of [...this.#pending]) if (pending.page === page) pending.fail(new Error(`${pending.op}: ${CLOSED_MESSAGE}`));
  }

  #gone(cause: 'close' | 'crash' | 'kill'): void {
    if (this.state === 'closed' || this.state === 'crashed') return;
    this.state = cause === 'close' ? 'closed' : 'crashed';
    // The process is gone, and its memory with it; what still holds this object holds only the handle.
    this.memory = undefined;
    const contexts = [...this.openContexts];
    for (const context of contexts) {
      for (const page of context.openPages) {
        page.closed = true;
        page.memory = undefined;
      }
    }
    // Closing something of a dead browser succeeds (as in Playwright); everything else fails.
    for (const pending of [...this.#pending]) {
      if (pending.op === 'close') pending.finish();
      else pending.fail(new Error(`${pending.op}: ${CLOSED_MESSAGE}`));
    }
    this.driver.browserGone(this.id, cause);
    // As Playwright: the browser's contexts and pages report their close before the browser its disconnect.
    for (const context of contexts) context.markClosed();
    this.driver.events.disconnect(this.id, () => this.deliver('disconnected', this));
  }

  /** Harness teardown: the process is killed, whatever it was doing. */
  kill(): void {
    this.#gone('kill');
  }
}

export class SimContext extends Emitter<'close'> implements ContextLike {
  readonly openPages = new Set<SimPage>();
  closed = false;

  constructor(
    readonly id: string,
    readonly browser: SimBrowser,
  ) {
    super();
  }

  pages(): SimPage[] {
    return [...this.openPages];
  }

  newPage(): Promise<SimPage> {
    const failing = this.browser.driver.failing.take('newPage');
    return this.browser.call(
      'newPage',
      this.id,
      failing?.timeoutMs ?? this.browser.driver.timing.newPageMs,
      () => {
        if (failing) throw launchFailure('newPage', failing.timeoutMs);
        if (this.closed) throw new Error(`newPage: ${CLOSED_MESSAGE}`);
        const page = new SimPage(this.browser.childId('p'), this);
        this.openPages.add(page);
        return page;
      },
      { creates: true },
    );
  }

  close(): Promise<void> {
    return this.browser.call('close', this.id, 0, () => this.markClosed(), { closing: true });
  }

  markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const page of [...this.openPages]) page.markClosed();
    this.browser.openContexts.delete(this);
    this.deliver('close', this);
  }
}

export class SimPage extends Emitter<'close' | 'crash'> implements PageLike {
  #closeDelivered = false;
  closed = false;
  /** Its renderer died: calls fail, closing still works (as in Playwright). */
  crashed = false;
  url = 'about:blank';
  /** The page the site answered with, when it was not the reviews. */
  badAnswer: BadPageKind | undefined = undefined;
  /** Real memory for what the page accounts, held until it is closed. */
  memory: SimMemory | undefined;

  constructor(
    readonly id: string,
    readonly context: SimContext,
  ) {
    super();
    this.memory = new SimMemory(context.browser.driver.memoryMB.page);
  }

  get browser(): SimBrowser {
    return this.context.browser;
  }

  isClosed(): boolean {
    return this.closed || !this.browser.isConnected();
  }

  goto(url: string): Promise<null> {
    const ms = this.browser.driver.navigationMs();
    const bad = this.browser.badPages.shift();
    return this.browser.call(
      'goto',
      this.id,
      ms,
      () => {
        // What the real site's bad answers do to Playwright and to the review job's page function.
        if (bad === 'reset') throw new Error(`goto: net::ERR_CONNECTION_RESET at ${url}`);
        this.url = url;
        this.badAnswer = bad;
        return null;
      },
      { page: this, waitsOnPage: true, url },
    );
  }

  evaluate<R, Arg>(pageFunction: (arg: Arg) => R | Promise<R>, arg: Arg): Promise<R>;
  evaluate<R>(pageFunction: () => R | Promise<R>): Promise<R>;
  evaluate<R>(): Promise<R> {
    // The sim runs no page script: it answers with the site model's reviews for the current page.
    return this.browser.call(
      'evaluate',
      this.id,
      this.browser.driver.timing.evaluateMs,
      () => {
        if (this.badAnswer === 'serverError') throw new Error(`evaluate: error page (HTTP 503) at ${this.url}`);
        if (this.badAnswer === 'challenge') throw new Error(`evaluate: bot challenge at ${this.url}`);
        return reviewsFor(this.url) as R;
      },
      {
        page: this,
        waitsOnPage: true,
      },
    );
  }

  close(): Promise<void> {
    return this.browser.call('close', this.id, 0, () => this.markClosed(), { closing: true });
  }

  /** Its renderer died: Playwright's `crash` event. */
  crash(): void {
    this.deliver('crash', this);
  }

  /**
   * The page is gone, by its own close, its context's or its browser's end. `closed` may already
   * be set by a browser that died; the `close` event is still delivered once.
   */
  markClosed(): void {
    if (this.#closeDelivered) return;
    this.#closeDelivered = true;
    this.closed = true;
    this.memory = undefined;
    this.context.openPages.delete(this);
    this.browser.failPending(this);
    this.deliver('close', this);
  }
}
