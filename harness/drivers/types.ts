/**
 * The subset of Playwright's API a pool uses. Playwright's own Browser, BrowserContext and Page
 * satisfy these types (checked by harness/drivers/playwright-compat.test.ts), so a pool written
 * against Playwright runs unchanged on any driver, the simulated one included.
 */

/**
 * `on`, `once`, `off` and `removeListener` for one event, as Playwright declares them: a pool adds
 * a listener per job and must be able to take it off again.
 */
export interface ListensTo<Event extends string, Self> {
  on(event: Event, listener: (arg: Self) => unknown): unknown;
  once(event: Event, listener: (arg: Self) => unknown): unknown;
  off(event: Event, listener: (arg: Self) => unknown): unknown;
  removeListener(event: Event, listener: (arg: Self) => unknown): unknown;
}

export interface PageLike extends ListensTo<'close' | 'crash', PageLike> {
  goto(url: string, options?: { timeout?: number }): Promise<unknown>;
  evaluate<R, Arg>(pageFunction: (arg: Arg) => R | Promise<R>, arg: Arg): Promise<R>;
  evaluate<R>(pageFunction: () => R | Promise<R>): Promise<R>;
  close(): Promise<void>;
  isClosed(): boolean;
}

export interface ContextLike extends ListensTo<'close', ContextLike> {
  newPage(): Promise<PageLike>;
  /** The context's open pages. */
  pages(): PageLike[];
  close(): Promise<void>;
}

export interface BrowserLike extends ListensTo<'disconnected', BrowserLike> {
  /** Options are Playwright's (`BrowserContextOptions`); the simulated browser ignores them. */
  newContext(options?: object): Promise<ContextLike>;
  newPage(): Promise<PageLike>;
  /** The browser's open contexts. */
  contexts(): ContextLike[];
  close(): Promise<void>;
  isConnected(): boolean;
}

/** Ground truth about the browsers a driver has running. */
export interface ResourceSample {
  browsers: number;
  pages: number;
  memoryMB: number;
}

import type { BadPageKind } from '../history/events.ts';

/** Faults a driver can inflict on one of its browsers, by browser id. */
export interface DriverFaults {
  /** The browser dies: `disconnected` fires, its pending calls reject. */
  crash(browser: string): void;
  /** The browser's pages crash (their renderer dies); the browser stays up. */
  pageCrash(browser: string): void;
  /** The browser's current or next navigation never completes. */
  stall(browser: string): void;
  /** The browser stops answering for `ms` (navigations and evaluations wait). */
  hang(browser: string, ms: number): void;
  /** The browser's next close takes `ms`. */
  slowClose(browser: string, ms: number): void;
  /**
   * The driver's next launch (or, with `op: 'newPage'`, its next new page) rejects: after
   * `timeoutMs` as a call that timed out, when given, else as soon as it would have returned.
   * Nothing is started.
   */
  launchFail(timeoutMs: number | undefined, op: 'launch' | 'newPage'): void;
  /**
   * The site answers the browser's next page request badly: `reset` (the connection is reset: the
   * navigation fails), `serverError` (a 503 error page) or `challenge` (a bot-challenge page): for
   * the last two the navigation succeeds and reading the reviews fails.
   */
  badPage(browser: string, kind: BadPageKind): void;
}

/**
 * The JS heaps of a driver's open pages (Chromium, through CDP's HeapProfiler), or why a driver
 * has none to give.
 */
export interface PageHeaps {
  /** Ids of the pages open now. */
  openPages(): string[];
  /** A full GC in the page, then its used JS heap in MB; rejects when the page is gone. */
  collect(page: string): Promise<number>;
  /** Streams the page's heap snapshot to `file`; rejects when the page is gone. */
  write(page: string, file: string): Promise<void>;
  /** Lets go of what following the pages holds (their protocol sessions); the snapshots are done. */
  release(): Promise<void>;
}

export interface Driver {
  readonly name: string;
  /** Page heap snapshots, or why this driver cannot take them (`not available on <driver> (why)`). */
  readonly pageHeaps: PageHeaps | { unavailable: string };
  /** Launch a browser; what a pool calls. */
  launch(): Promise<BrowserLike>;
  /** The id (b1, b2, ...) of the browser a page belongs to. */
  browserIdOf(page: PageLike): string | undefined;
  /** The id (b1/p2, ...) of a page the driver opened. */
  pageIdOf(page: PageLike): string | undefined;
  /** The listeners the pool has on the browser a page belongs to now (`on`/`once`, less `off`). */
  browserListenersOf(page: PageLike): number | undefined;
  /** Ids of the browsers alive now: the ground truth the pool's counter is checked against. */
  liveBrowserIds(): string[];
  sample(): ResourceSample;
  readonly faults: DriverFaults;
  /** Kill every browser still alive. The harness's own teardown, after the checks. */
  shutdown(): Promise<void>;
}
