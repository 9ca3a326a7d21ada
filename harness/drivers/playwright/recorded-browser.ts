import type { Browser, BrowserContext, Page } from 'playwright';
import type { DriverOp } from '../../history/events.ts';
import type { DriverEvents } from '../driver-events.ts';
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
}

/**
 * A real Playwright browser seen through the history: every call a pool makes is recorded with
 * its return, as the sim driver records its own, so the same checkers judge both.
 */
export class RecordedBrowser implements BrowserLike {
  #nextChild = 1;
  #listeners: Array<(browser: BrowserLike) => unknown> = [];
  #closing: Promise<void> | undefined;
  /** Why the connection ended, as far as the harness knows: a close or its own teardown. */
  endedBy: 'close' | 'kill' | undefined;
  readonly pages = new Set<RecordedPage>();

  constructor(
    readonly id: string,
    readonly pid: number | undefined,
    readonly browser: Browser,
    private readonly host: BrowserHost,
  ) {
    browser.on('disconnected', () => {
      host.gone(this);
      for (const listener of this.#listeners.splice(0)) {
        try {
          const result = listener(this);
          if (result instanceof Promise) result.catch(() => {});
        } catch {
          // A throwing listener is the pool's bug; it must not take the driver down with it.
        }
      }
    });
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

  on(event: 'disconnected', listener: (browser: BrowserLike) => unknown): this {
    if (event === 'disconnected') this.#listeners.push(listener);
    return this;
  }

  newContext(): Promise<RecordedContext> {
    const id = this.childId('c');
    return this.record(
      'newContext',
      this.id,
      async () => new RecordedContext(id, this, await this.browser.newContext({ extraHTTPHeaders: this.host.headersFor(this.id) })),
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
  async record<T>(op: DriverOp, target: string, run: () => Promise<T>, options: { url?: string; withCallSite?: boolean } = {}): Promise<T> {
    const call = this.host.events.call(op, target, this.id, options.url, options.withCallSite ?? false);
    try {
      const value = await run();
      this.host.events.return(op, target, this.id, call);
      return value;
    } catch (error) {
      this.host.events.return(op, target, this.id, call, error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }
}

export class RecordedContext implements ContextLike {
  constructor(
    readonly id: string,
    readonly owner: RecordedBrowser,
    readonly context: BrowserContext,
  ) {}

  newPage(): Promise<RecordedPage> {
    const id = this.owner.childId('p');
    return this.owner.record('newPage', this.id, async () => {
      const page = new RecordedPage(id, this, await this.context.newPage());
      this.owner.pages.add(page);
      page.page.once('close', () => this.owner.pages.delete(page));
      page.page.once('crash', () => this.owner.pageCrashed(id));
      return page;
    });
  }

  close(): Promise<void> {
    return this.owner.record('close', this.id, () => this.context.close());
  }
}

export class RecordedPage implements PageLike {
  constructor(
    readonly id: string,
    readonly context: RecordedContext,
    readonly page: Page,
  ) {}

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
