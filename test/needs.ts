import { accessSync, constants } from 'node:fs';
import { isInstalled, missingBrowserMessage, type RealBrowserName } from '../harness/drivers/playwright/installed-browsers.ts';

/**
 * Whether a test that needs this browser can run. In CI (CI=true) a missing browser is a failure,
 * never a skip: the caller's suite throws at collection and the run goes red.
 */
export function needsBrowser(name: RealBrowserName): boolean {
  if (isInstalled(name)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${missingBrowserMessage(name)}`);
  return false;
}

/** The same rule for a server binary (Prometheus, ...). */
export function needsExecutable(path: string, install: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error(`CI=true and ${path} is missing: ${install}`);
    return false;
  }
}
