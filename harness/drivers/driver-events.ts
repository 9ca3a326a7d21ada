import { captureCallSite } from '../history/call-site.ts';
import type { DriverOp, EventData } from '../history/events.ts';
import type { Recorder } from '../history/recorder.ts';
import type { Delivery } from './listeners.ts';

export type FailingOp = 'launch' | 'newPage';

/** The error a call armed by `launchFail` rejects with, as Playwright words a failed or timed-out launch or page. */
export function launchFailure(op: FailingOp, timeoutMs: number | undefined): Error {
  const call = op === 'launch' ? 'browserType.launch' : 'browserContext.newPage';
  return new Error(
    timeoutMs === undefined
      ? `${call}: Target page, context or browser has been closed (launchFail)`
      : `${call}: Timeout ${timeoutMs}ms exceeded (launchFail)`,
  );
}

/** The launches and new pages armed to fail (launchFail), each in turn, with its timeout when it times out. */
export class FailingCalls {
  readonly #armed: Record<FailingOp, (number | undefined)[]> = { launch: [], newPage: [] };

  arm(op: FailingOp, timeoutMs: number | undefined): void {
    this.#armed[op].push(timeoutMs);
  }

  /** The next call of `op`, if it is armed: how long it takes to fail (undefined: as long as it would have taken to succeed). */
  take(op: FailingOp): { timeoutMs: number | undefined } | undefined {
    const armed = this.#armed[op];
    return armed.length === 0 ? undefined : { timeoutMs: armed.shift() };
  }
}

/**
 * How every driver, simulated or real, writes the ground truth into the history: each call and
 * its return, each browser coming up and going down, each page whose renderer died. One writer, so the checkers read the same
 * events whatever runs the browsers.
 */
export class DriverEvents {
  constructor(private readonly recorder: Recorder) {}

  /** Returns the call's seq, which its return names. Launches and closes carry their call site, and every call once the pool is closed. */
  call(op: DriverOp, target: string, browser: string, url: string | undefined, withCallSite: boolean): number {
    const at = withCallSite || this.recorder.poolClosed ? captureCallSite() : undefined;
    return this.recorder.emit('driver.call', url === undefined ? { op, target } : { op, target, url }, { browser, at }).seq;
  }

  /** `created`: the id of the context or page the call opened, the ground truth for pools that count those. */
  return(op: DriverOp, target: string, browser: string, call: number, error?: Error, created?: string): void {
    const data: EventData['driver.return'] = error ? { op, target, call, ok: false, error: error.message } : { op, target, call, ok: true };
    if (created !== undefined) data.created = created;
    this.recorder.emit('driver.return', data, { browser });
  }

  up(browser: string, memoryMB: number, pid?: number): void {
    this.recorder.emit('browser.up', pid === undefined ? { browser, memoryMB } : { browser, memoryMB, pid }, { browser });
  }

  down(browser: string, cause: 'close' | 'crash' | 'kill'): void {
    this.recorder.emit('browser.down', { browser, cause }, { browser });
  }

  /**
   * Tell the pool's listeners that `browser` is gone, then record `browser.handled`: at once when
   * they are synchronous, when their promises settle otherwise. Until then the pool may still
   * count the browser's slot, and the checkers allow for it.
   */
  disconnect(browser: string, deliver: () => Delivery): void {
    const { listeners, settled } = deliver();
    const handled = () => this.recorder.emit('browser.handled', { browser, listeners }, { browser });
    if (settled === undefined) handled();
    else void settled.then(handled);
  }

  /** A page's renderer died (Playwright's `crash` event); its browser is still up. */
  pageCrash(page: string, browser: string): void {
    this.recorder.emit('page.crash', { page, browser }, { browser });
  }
}
