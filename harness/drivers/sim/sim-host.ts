import type { DriverEvents, FailingCalls } from '../driver-events.ts';

export interface SimTiming {
  launchMs: number;
  contextMs: number;
  newPageMs: number;
  /** Mean navigation time; each navigation takes it ± `navigationJitter` (a fraction). */
  navigationMs: number;
  navigationJitter: number;
  evaluateMs: number;
  closeMs: number;
}

/**
 * What a simulated browser needs of the driver that launched it: its timing, its event writer, its
 * memory per object, and a word when it is gone. The browser depends on this, not on the driver,
 * so the driver (which creates browsers) and the browser do not import each other.
 */
export interface SimBrowserHost {
  readonly timing: SimTiming;
  readonly events: DriverEvents;
  readonly memoryMB: { browser: number; page: number };
  /** New pages armed to fail (launchFail). */
  readonly failing: FailingCalls;
  navigationMs(): number;
  browserGone(browserId: string, cause: 'close' | 'crash' | 'kill'): void;
}
