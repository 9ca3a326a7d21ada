import type { Clock } from '../../clock/clock.ts';
import type { Recorder } from '../../history/recorder.ts';
import type { Random } from '../../random.ts';
import { DriverEvents, FailingCalls, launchFailure } from '../driver-events.ts';
import type { Driver, DriverFaults, PageLike, ResourceSample } from '../types.ts';
import { SimBrowser, SimPage } from './sim-browser.ts';
import type { SimBrowserHost, SimTiming } from './sim-host.ts';

export type { SimTiming } from './sim-host.ts';

export interface SimOptions {
  timing: SimTiming;
  /** Memory of one browser process (the story's ~300 MB) and of each open page. */
  browserMB: number;
  pageMB: number;
}

export const DEFAULT_SIM_OPTIONS: SimOptions = {
  timing: { launchMs: 800, contextMs: 30, newPageMs: 60, navigationMs: 1500, navigationJitter: 0.5, evaluateMs: 20, closeMs: 150 },
  browserMB: 300,
  pageMB: 25,
};

/**
 * Simulated browsers in virtual time: each call takes time, can be stalled, hung or crashed, and
 * the driver knows exactly which browsers are alive. That knowledge is the ground truth the
 * pool's counter is checked against.
 */
export class SimDriver implements Driver, SimBrowserHost {
  readonly name = 'sim';
  /** Simulated pages live in this process: its own heap snapshots hold them. */
  readonly pageHeaps = {
    unavailable: 'not available on sim (simulated pages have no JS heap of their own: they are in the process snapshots)',
  };
  readonly timing: SimTiming;
  readonly events: DriverEvents;
  /** What a browser and a page account; each holds real memory in proportion (SimMemory). */
  readonly memoryMB: { browser: number; page: number };
  readonly #browsers = new Map<string, SimBrowser>();
  readonly failing = new FailingCalls();
  #nextBrowser = 1;

  constructor(
    private readonly clock: Clock,
    recorder: Recorder,
    private readonly random: Random,
    private readonly options: SimOptions = DEFAULT_SIM_OPTIONS,
  ) {
    this.timing = options.timing;
    this.memoryMB = { browser: options.browserMB, page: options.pageMB };
    this.events = new DriverEvents(recorder);
  }

  launch(): Promise<SimBrowser> {
    const id = `b${this.#nextBrowser++}`;
    const failing = this.failing.take('launch');
    if (failing !== undefined) return this.#failLaunch(id, failing.timeoutMs);
    const browser = new SimBrowser(id, this, this.clock);
    return new Promise((resolve) => {
      const call = this.events.call('launch', id, id, undefined, true);
      this.clock.setTimeout(
        () => {
          browser.state = 'alive';
          this.#browsers.set(id, browser);
          this.events.up(id, this.options.browserMB);
          this.events.return('launch', id, id, call);
          resolve(browser);
        },
        this.timing.launchMs,
        'sim',
      );
    });
  }

  #failLaunch(id: string, timeoutMs: number | undefined): Promise<never> {
    return new Promise((_, reject) => {
      const call = this.events.call('launch', id, id, undefined, true);
      this.clock.setTimeout(
        () => {
          const error = launchFailure('launch', timeoutMs);
          this.events.return('launch', id, id, call, error);
          reject(error);
        },
        timeoutMs ?? this.timing.launchMs,
        'sim',
      );
    });
  }

  browserIdOf(page: PageLike): string | undefined {
    return page instanceof SimPage ? page.browser.id : undefined;
  }

  pageIdOf(page: PageLike): string | undefined {
    return page instanceof SimPage ? page.id : undefined;
  }

  browserListenersOf(page: PageLike): number | undefined {
    return page instanceof SimPage ? page.browser.listenerCount() : undefined;
  }

  liveBrowserIds(): string[] {
    return [...this.#browsers.keys()];
  }

  sample(): ResourceSample {
    let pages = 0;
    for (const browser of this.#browsers.values()) pages += browser.pageCount;
    const browsers = this.#browsers.size;
    return { browsers, pages, memoryMB: browsers * this.options.browserMB + pages * this.options.pageMB };
  }

  readonly faults: DriverFaults = {
    crash: (id) => this.#browsers.get(id)?.crash(),
    stall: (id) => this.#browsers.get(id)?.stall(),
    pageCrash: (id) => this.#browsers.get(id)?.crashPages(),
    hang: (id, ms) => {
      const browser = this.#browsers.get(id);
      if (browser) browser.hungUntil = Math.max(browser.hungUntil, this.clock.now() + ms);
    },
    slowClose: (id, ms) => {
      const browser = this.#browsers.get(id);
      if (browser) browser.slowCloseMs = ms;
    },
    badPage: (id, kind) => this.#browsers.get(id)?.badPages.push(kind),
    launchFail: (timeoutMs, op) => this.failing.arm(op, timeoutMs),
  };

  async shutdown(): Promise<void> {
    for (const browser of [...this.#browsers.values()]) browser.kill();
  }

  navigationMs(): number {
    const { navigationMs, navigationJitter } = this.timing;
    return Math.round(navigationMs * (1 + navigationJitter * (2 * this.random.next() - 1)));
  }

  /** Called by a SimBrowser that closed, crashed or was killed. */
  browserGone(browserId: string, cause: 'close' | 'crash' | 'kill'): void {
    this.#browsers.delete(browserId);
    this.events.down(browserId, cause);
  }
}
