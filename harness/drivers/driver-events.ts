import { captureCallSite } from '../history/call-site.ts';
import type { DriverOp } from '../history/events.ts';
import type { Recorder } from '../history/recorder.ts';

/**
 * How every driver, simulated or real, writes the ground truth into the history: each call and
 * its return, each browser coming up and going down, each page whose renderer died. One writer, so the checkers read the same
 * events whatever runs the browsers.
 */
export class DriverEvents {
  constructor(private readonly recorder: Recorder) {}

  /** Returns the call's seq, which its return names. Launches and closes carry their call site. */
  call(op: DriverOp, target: string, browser: string, url: string | undefined, withCallSite: boolean): number {
    const at = withCallSite ? captureCallSite() : undefined;
    return this.recorder.emit('driver.call', url === undefined ? { op, target } : { op, target, url }, { browser, at }).seq;
  }

  return(op: DriverOp, target: string, browser: string, call: number, error?: Error): void {
    this.recorder.emit('driver.return', error ? { op, target, call, ok: false, error: error.message } : { op, target, call, ok: true }, {
      browser,
    });
  }

  up(browser: string, memoryMB: number, pid?: number): void {
    this.recorder.emit('browser.up', pid === undefined ? { browser, memoryMB } : { browser, memoryMB, pid }, { browser });
  }

  down(browser: string, cause: 'close' | 'crash' | 'kill'): void {
    this.recorder.emit('browser.down', { browser, cause }, { browser });
  }

  /** A page's renderer died (Playwright's `crash` event); its browser is still up. */
  pageCrash(page: string, browser: string): void {
    this.recorder.emit('page.crash', { page, browser }, { browser });
  }
}
