import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright';
import type { DriverOp } from '../../history/events.ts';
import { type DriverEvents, type FailingCalls, launchFailure } from '../driver-events.ts';
import { Emitter } from '../listeners.ts';
import type { BrowserLike, ContextLike, PageLike } from '../types.ts';

/** What a recorded browser needs from its driver. */
export interface BrowserHost {
  readonly events: DriverEvents;
  /** Extra HTTP headers every context sends (the site knows which browser asks). */
  headersFor(browser: string): Record<string, string>;
  /** Called once when the browser's connection is gone, before the pool's listeners. */
  gone(browser: RecordedBrowser): void;
  /** Delay to add before the next close of this browser (the slow-close fault), then forget it. */
  takeSlowClose(browser: string): number;
  wait(ms: number): Promise<void>;
  /** New pages armed to fail (launchFail). */
  readonly failing: FailingCalls;
}

/**
 * A real Playwright browser seen through the history: every call a pool makes is recorded with
 * its return, as the sim driver records its own, so the same checkers judge both.
 */
export class RecordedBrowser extends Emitter<'disconnected'> implements BrowserLike {
  #nextChild = 1;
  #closing: Promise<void> | undefined;
  /** Why the connection ended, as far as the harness knows: a close or its own teardown. */
  endedBy: 'close' | 'kill' | undefined;
  readonly pages = new Set<RecordedPage>();
  readonly openContexts = new Set<RecordedContext>();

  constructor(
    readonly id: string,
    readonly pid: number | undefined,
    readonly browser: Browser,
    readonly host: BrowserHost,
  ) {
    super();
    browser.on('disconnected', () => {
      host.gone(this);
      host.events.disconnect(this.id, () => this.deliver('disconnected', this));
    });
  }

  contexts(): RecordedContext[] {
    return [...this.openContexts];
  }

  /** Playwright says the page's renderer died: ground truth, like a browser going down. */
  pageCrashed(page: string): void {
    this.host.events.pageCrash(page, this.id);
  }

  childId(kind: 'c' | 'p'): string {
    return `${this.id}/${kind}${this.#nextChild++}`;
  }

  isConnected(): boolean {
    return this.browser.isConnected();
  }

  newContext(options: BrowserContextOptions = {}): Promise<RecordedContext> {
    const id = this.childId('c');
    const extraHTTPHeaders = { ...options.extraHTTPHeaders, ...this.host.headersFor(this.id) };
    return this.record(
      'newContext',
      this.id,
      async () => {
        const context = new RecordedContext(id, this, await this.browser.newContext({ ...options, extraHTTPHeaders }));
        this.openContexts.add(context);
        return context;
      },
      { creates: true },
    );
  }

  async newPage(): Promise<RecordedPage> {
    const context = await this.newContext();
    return context.newPage();
  }

  close(): Promise<void> {
    this.#closing ??= this.record(
      'close',
      this.id,
      async () => {
        const delay = this.host.takeSlowClose(this.id);
        if (delay > 0) await this.host.wait(delay);
        this.endedBy ??= 'close';
        await this.browser.close();
      },
      { withCallSite: true },
    );
    return this.#closing;
  }

  /** Run one Playwright call between its `driver.call` and `driver.return`. */
  async record<T>(
    op: DriverOp,
    target: string,
    run: () => Promise<T>,
    options: { url?: string; withCallSite?: boolean; creates?: boolean } = {},
  ): Promise<T> {
    const call = this.host.events.call(op, target, this.id, options.url, options.withCallSite ?? false);
    try {
      const value = await run();
      this.host.events.return(op, target, this.id, call, undefined, options.creates ? (value as { id: string }).id : undefined);
      return value;
    } catch (error) {
      this.host.events.return(op, target, this.id, call, error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }
}

export class RecordedContext extends Emitter<'close'> implements ContextLike {
  readonly openPages = new Set<RecordedPage>();

  constructor(
    readonly id: string,
    readonly owner: RecordedBrowser,
    readonly context: BrowserContext,
  ) {
    super();
    context.once('close', () => {
      owner.openContexts.delete(this);
      this.deliver('close', this);
    });
  }

  pages(): RecordedPage[] {
    return [...this.openPages];
  }

  newPage(): Promise<RecordedPage> {
    const id = this.owner.childId('p');
    const failing = this.owner.host.failing.take('newPage');
    return this.owner.record(
      'newPage',
      this.id,
      async () => {
        if (failing !== undefined) {
          if (failing.timeoutMs !== undefined) await this.owner.host.wait(failing.timeoutMs);
          throw launchFailure('newPage', failing.timeoutMs);
        }
        const page = new RecordedPage(id, this, await this.context.newPage());
        this.owner.pages.add(page);
        this.openPages.add(page);
        return page;
      },
      { creates: true },
    );
  }

  close(): Promise<void> {
    return this.owner.record('close', this.id, () => this.context.close());
  }
}

export class RecordedPage extends Emitter<'close' | 'crash'> implements PageLike {
  constructor(
    readonly id: string,
    readonly context: RecordedContext,
    readonly page: Page,
  ) {
    super();
    page.once('close', () => {
      context.owner.pages.delete(this);
      context.openPages.delete(this);
      this.deliver('close', this);
    });
    page.on('crash', () => {
      context.owner.pageCrashed(id);
      this.deliver('crash', this);
    });
  }

  get browserId(): string {
    return this.context.owner.id;
  }

  goto(url: string, options?: { timeout?: number }): Promise<unknown> {
    // No timeout of Playwright's own: a stalled navigation stays stalled until the pool acts,
    // which is what the scenarios test. A pool that wants one passes it.
    return this.context.owner.record('goto', this.id, () => this.page.goto(url, { timeout: options?.timeout ?? 0 }), { url });
  }

  evaluate<R, Arg>(pageFunction: (arg: Arg) => R | Promise<R>, arg: Arg): Promise<R>;
  evaluate<R>(pageFunction: () => R | Promise<R>): Promise<R>;
  evaluate<R>(pageFunction: (arg?: unknown) => R | Promise<R>, arg?: unknown): Promise<R> {
    return this.context.owner.record('evaluate', this.id, () => this.page.evaluate(pageFunction, arg) as Promise<R>);
  }

  close(): Promise<void> {
    return this.context.owner.record('close', this.id, () => this.page.close());
  }

  isClosed(): boolean {
    return this.page.isClosed();
  }
}
