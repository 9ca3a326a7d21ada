import type { BrowserLike, Driver, PageLike } from '../../drivers/types.ts';

/**
 * Single ownership of one session: the browser, its page and its slot in the pool's counter.
 * Every cleanup path (the job's `finally`, the watchdog, a disconnect, the pool's close) calls
 * `release()`; only the first one does anything, and it gives the slot back exactly once.
 */
export class SessionHandle {
  #released = false;
  #opening: Promise<PageLike> | undefined;
  #browser: BrowserLike | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    readonly sessionId: string,
    /** Gives the slot back; called once, synchronously, by the first release. */
    private readonly onRelease: (handle: SessionHandle, path: string) => void,
  ) {}

  get released(): boolean {
    return this.#released;
  }

  /** `stopped`: the job no longer wants the page; once the browser is up it opens none. */
  open(driver: Pick<Driver, 'launch'>, stopped?: AbortSignal): Promise<PageLike> {
    this.#opening ??= this.#open(driver, stopped);
    return this.#opening;
  }

  /** Settles once the launch and page open are over, however they ended. */
  opened(): Promise<void> {
    return (
      this.#opening?.then(
        () => undefined,
        () => undefined,
      ) ?? Promise.resolve()
    );
  }

  async #open(driver: Pick<Driver, 'launch'>, stopped: AbortSignal | undefined): Promise<PageLike> {
    const browser = await driver.launch();
    this.#browser = browser;
    // A crash funnels into the same release as every other path.
    browser.on('disconnected', () => void this.release('disconnected'));
    if (this.#released) throw new Error(`session ${this.sessionId} was released while its browser launched`);
    stopped?.throwIfAborted();
    return browser.newPage();
  }

  /** Idempotent: the first call releases, later calls wait for the same close. */
  release(path: string): Promise<void> {
    if (this.#released) return this.#closing ?? Promise.resolve();
    // Set before any await, so a second path that runs while this one waits sees it.
    this.#released = true;
    this.onRelease(this, path);
    this.#closing = this.#closeBrowser();
    return this.#closing;
  }

  async #closeBrowser(): Promise<void> {
    // A launch still in flight is waited for, so its browser is closed rather than orphaned.
    await this.#opening?.catch(() => undefined);
    await this.#browser?.close().catch(() => undefined);
  }
}
