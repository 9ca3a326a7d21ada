/**
 * Browsers shared between jobs, up to `perBrowser` jobs each (Crawlee's `maxOpenPagesPerBrowser`,
 * puppeteer-cluster's context and page modes). A job takes room in a browser synchronously, so
 * jobs that arrive while a browser launches wait on that one launch instead of each launching their
 * own. A browser that disconnects is dropped at once, by the one listener it gets at launch; one
 * whose last job left is closed.
 */
import type { BrowserLike, ContextLike } from '../../../harness/drivers/types.ts';
import type { PoolEnv } from '../../../harness/pool/contract.ts';

export interface SharedBrowser {
  browser: BrowserLike;
  /** One context every job of the browser opens its page in (page-per-job pools). */
  context: ContextLike | undefined;
}

class Entry {
  users = 0;
  readonly ready: Promise<SharedBrowser>;

  constructor(launch: (entry: Entry) => Promise<SharedBrowser>) {
    this.ready = launch(this);
  }
}

export class SharedBrowsers {
  readonly #entries = new Set<Entry>();

  constructor(
    private readonly env: PoolEnv,
    private readonly perBrowser: number,
    private readonly withContext: boolean,
  ) {}

  /** Room in a browser for one job; rejects when every browser is full and no more may launch. */
  acquire(): { entry: Entry; ready: Promise<SharedBrowser> } {
    let entry = [...this.#entries].find((candidate) => candidate.users < this.perBrowser);
    if (entry === undefined) {
      if (this.#entries.size >= this.env.config.maxBrowsers) throw new Error(`pool full (${this.env.config.maxBrowsers} browsers)`);
      entry = new Entry((launching) => this.#launch(launching));
      this.#entries.add(entry);
      const launching = entry;
      // A failed launch frees its room for the next job to try again.
      entry.ready.catch(() => this.#entries.delete(launching));
    }
    entry.users++;
    return { entry, ready: entry.ready };
  }

  /** The job is done with its browser; the last job to leave closes it (a crashed one too: its processes may linger). */
  async release(entry: Entry): Promise<void> {
    entry.users--;
    if (entry.users > 0) return;
    this.#entries.delete(entry);
    const shared = await entry.ready.catch(() => undefined);
    await shared?.browser.close();
  }

  async closeAll(): Promise<void> {
    const entries = [...this.#entries];
    this.#entries.clear();
    await Promise.all(entries.map(async (entry) => (await entry.ready.catch(() => undefined))?.browser.close()));
  }

  async #launch(entry: Entry): Promise<SharedBrowser> {
    const browser = await this.env.driver.launch();
    // No new job may pick a browser that is gone; the jobs still on it fail and leave by themselves.
    browser.once('disconnected', () => this.#entries.delete(entry));
    return { browser, context: this.withContext ? await browser.newContext() : undefined };
  }
}
