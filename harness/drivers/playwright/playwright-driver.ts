import type { Browser } from 'playwright';
import { type Clock, sleep, type TimerId } from '../../clock/clock.ts';
import type { Recorder } from '../../history/recorder.ts';
import { markerEnv } from '../../os/browser-marker.ts';
import { pageProcesses, scanRun, signalBrowser } from '../../os/run-processes.ts';
import type { SiteFault } from '../../site/faults.ts';
import { DriverEvents, FailingCalls, launchFailure } from '../driver-events.ts';
import type { Driver, DriverFaults, PageHeaps, PageLike, ResourceSample } from '../types.ts';
import { CdpPageHeaps } from './cdp-page-heaps.ts';
import { type BrowserHost, RecordedBrowser, RecordedPage } from './recorded-browser.ts';

/** Starts one browser whose processes carry `env` (the run's markers). */
export type Launcher = (env: Record<string, string>) => Promise<Browser>;

export interface PlaywrightDriverOptions {
  name: string;
  launcher: Launcher;
  recorder: Recorder;
  clock: Clock;
  runId: string;
  /** The target site, which can hold one browser's requests (the network-stall fault). */
  site: { stall(browser: string): void; arm(browser: string, fault: SiteFault): void; headersFor(browser: string): Record<string, string> };
  /** Called after a browser came up or went down: the OS's view is worth recording then. */
  onBrowserChange?: () => void;
}

/** How long teardown waits for a killed browser's connection to drop. */
const KILL_WAIT_MS = 5_000;

/**
 * Real browsers through Playwright. The driver's truth is Playwright's connection (up after
 * launch, down on `disconnected`); the OS's truth, read from /proc by the run, is checked against
 * it. Faults are real: SIGKILL (crash), SIGSTOP/SIGCONT (hang), a request the site never answers
 * (stall), a delayed close (slow close), a page the site answers badly (reset, 503, bot challenge).
 */
export class PlaywrightDriver implements Driver {
  readonly name: string;
  readonly events: DriverEvents;
  readonly pageHeaps: PageHeaps | { unavailable: string };
  readonly #browsers = new Map<string, RecordedBrowser>();
  readonly #launching = new Set<Promise<unknown>>();
  readonly #slowClose = new Map<string, number>();
  readonly #failing = new FailingCalls();
  readonly #hangs = new Map<TimerId, string>();
  #nextBrowser = 1;
  #shutDown = false;

  constructor(private readonly options: PlaywrightDriverOptions) {
    this.name = options.name;
    this.events = new DriverEvents(options.recorder);
    // Playwright drives Firefox (and Camoufox) over a protocol with no heap snapshot command (no CDP).
    this.pageHeaps =
      options.name === 'chromium'
        ? new CdpPageHeaps(() => [...this.#browsers.values()].flatMap((browser) => [...browser.pages]))
        : {
            unavailable: `not available on ${options.name} (Playwright does not drive it over CDP and its protocol has no heap snapshot; per-browser PSS, os.sample, is measured instead)`,
          };
  }

  readonly #host: BrowserHost = {
    events: undefined as unknown as DriverEvents,
    headersFor: (browser) => this.options.site.headersFor(browser),
    gone: (browser) => {
      this.#browsers.delete(browser.id);
      this.events.down(browser.id, browser.endedBy ?? 'crash');
      this.options.onBrowserChange?.();
    },
    takeSlowClose: (browser) => {
      const ms = this.#slowClose.get(browser) ?? 0;
      this.#slowClose.delete(browser);
      return ms;
    },
    wait: (ms) => sleep(this.options.clock, ms, undefined, 'slow-close'),
    failing: this.#failing,
  };

  launch(): Promise<RecordedBrowser> {
    const launching = this.#launch();
    this.#launching.add(launching);
    const forget = () => this.#launching.delete(launching);
    launching.then(forget, forget);
    return launching;
  }

  async #launch(): Promise<RecordedBrowser> {
    const id = `b${this.#nextBrowser++}`;
    const { runId } = this.options;
    const call = this.events.call('launch', id, id, undefined, true);
    let browser: Browser;
    try {
      if (this.#shutDown) throw new Error('launch: the run is over');
      const failing = this.#failing.take('launch');
      if (failing !== undefined) {
        if (failing.timeoutMs !== undefined) await sleep(this.options.clock, failing.timeoutMs, undefined, 'launch-fail');
        throw launchFailure('launch', failing.timeoutMs);
      }
      browser = await this.options.launcher(markerEnv(runId, id));
    } catch (error) {
      this.events.return('launch', id, id, call, error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    // Without PSS: finding the main pid costs a few ms, reading every process's memory tens.
    const tree = scanRun(runId, { pss: false }).find((candidate) => candidate.browser === id);
    const recorded = new RecordedBrowser(id, tree?.mainPid, browser, { ...this.#host, events: this.events });
    this.#browsers.set(id, recorded);
    this.events.up(id, 0, tree?.mainPid);
    this.events.return('launch', id, id, call);
    this.options.onBrowserChange?.();
    if (this.#shutDown) await this.#kill(recorded);
    return recorded;
  }

  browserIdOf(page: PageLike): string | undefined {
    return page instanceof RecordedPage ? page.browserId : undefined;
  }

  pageIdOf(page: PageLike): string | undefined {
    return page instanceof RecordedPage ? page.id : undefined;
  }

  browserListenersOf(page: PageLike): number | undefined {
    return page instanceof RecordedPage ? page.context.owner.listenerCount() : undefined;
  }

  liveBrowserIds(): string[] {
    return [...this.#browsers.keys()];
  }

  sample(): ResourceSample {
    let pages = 0;
    for (const browser of this.#browsers.values()) pages += browser.pages.size;
    const pssMB = scanRun(this.options.runId).reduce((sum, tree) => sum + tree.pssMB, 0);
    return { browsers: this.#browsers.size, pages, memoryMB: Math.round(pssMB * 10) / 10 };
  }

  readonly faults: DriverFaults = {
    crash: (browser) => {
      if (this.#browsers.has(browser)) signalBrowser(this.options.runId, browser, 'SIGKILL', 'main');
    },
    stall: (browser) => this.options.site.stall(browser),
    pageCrash: (browser) => {
      for (const pid of pageProcesses(this.options.runId, browser)) sendKill(pid);
    },
    hang: (browser, ms) => {
      if (!this.#browsers.has(browser)) return;
      signalBrowser(this.options.runId, browser, 'SIGSTOP', 'all');
      const timer = this.options.clock.setTimeout(
        () => {
          this.#hangs.delete(timer);
          signalBrowser(this.options.runId, browser, 'SIGCONT', 'all');
        },
        ms,
        'hang-end',
      );
      this.#hangs.set(timer, browser);
    },
    slowClose: (browser, ms) => {
      if (this.#browsers.has(browser)) this.#slowClose.set(browser, ms);
    },
    badPage: (browser, kind) => this.options.site.arm(browser, { kind }),
    launchFail: (timeoutMs, op) => this.#failing.arm(op, timeoutMs),
  };

  /** Kill every browser still up, hung ones included, and wait for their connections to drop. */
  async shutdown(): Promise<void> {
    this.#shutDown = true;
    await Promise.allSettled([...this.#launching]);
    for (const [timer, browser] of this.#hangs) {
      this.options.clock.clearTimeout(timer);
      signalBrowser(this.options.runId, browser, 'SIGCONT', 'all');
    }
    this.#hangs.clear();
    await Promise.all([...this.#browsers.values()].map((browser) => this.#kill(browser)));
  }

  async #kill(browser: RecordedBrowser): Promise<void> {
    browser.endedBy ??= 'kill';
    const gone = new Promise<void>((resolve) => {
      if (!browser.isConnected()) return resolve();
      browser.browser.once('disconnected', () => resolve());
    });
    signalBrowser(this.options.runId, browser.id, 'SIGKILL', 'all');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, KILL_WAIT_MS)))]);
    clearTimeout(timer);
  }
}

function sendKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // It exited on its own in between.
  }
}
