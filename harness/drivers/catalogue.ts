import { InputError } from '../errors.ts';
import type { Launcher } from './playwright/playwright-driver.ts';

/**
 * Every driver a run can use, and all a run needs to know about one: whether its browsers are
 * real, how to launch them, and which faults it cannot inflict. The one place a driver name is
 * checked; everything past the command line holds a `DriverName`.
 */
export const DRIVER_NAMES = ['sim', 'chromium', 'firefox', 'camoufox'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];
export type RealDriverName = Exclude<DriverName, 'sim'>;

interface UnsupportedFault {
  kind: string;
  why: string;
}

const FIREFOX_PAGE_CRASH: UnsupportedFault = {
  kind: 'pageCrash',
  why: "Firefox's web content processes cannot be told apart from its privileged ones, and killing those takes the whole browser down",
};

/** Faults a driver cannot inflict, with the reason. */
const UNSUPPORTED: Record<DriverName, readonly UnsupportedFault[]> = {
  sim: [],
  chromium: [],
  firefox: [FIREFOX_PAGE_CRASH],
  camoufox: [{ ...FIREFOX_PAGE_CRASH, why: `Camoufox is Firefox: ${FIREFOX_PAGE_CRASH.why}` }],
};

export function driverNamed(name: string): DriverName {
  if (!(DRIVER_NAMES as readonly string[]).includes(name))
    throw new InputError(`--driver ${name}: unknown driver (available: ${DRIVER_NAMES.join(', ')})`);
  return name as DriverName;
}

/** Real browsers (and real time, the target site, the OS's processes), or the simulation. */
export function isRealDriver(name: DriverName): name is RealDriverName {
  return name !== 'sim';
}

/** Why `driver` cannot inflict a fault of `kind`, or undefined when it can. */
export function unsupportedFault(driver: DriverName, kind: string): string | undefined {
  return UNSUPPORTED[driver].find((fault) => fault.kind === kind)?.why;
}

/**
 * The launcher of a real driver, or bad input at once if its browser is not installed: nothing is
 * started, nothing is fetched, nothing is written. Real drivers are imported only when asked for:
 * Playwright alone would slow every sim run's start.
 */
export async function launcherFor(name: RealDriverName): Promise<Launcher> {
  if (name !== 'camoufox') {
    const { debianLauncher } = await import('./playwright/launchers.ts');
    return debianLauncher(name);
  }
  const { camoufoxLauncher } = await import('./camoufox/camoufox-launcher.ts');
  return camoufoxLauncher({ headless: true });
}
