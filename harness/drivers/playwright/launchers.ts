import { chromium, firefox } from 'playwright';
import { InputError } from '../../errors.ts';
import { isInstalled, launchOptionsFor, missingBrowserMessage, type RealBrowserName } from './installed-browsers.ts';
import type { Launcher } from './playwright-driver.ts';

/** Launches Debian's Chromium or Firefox ESR; a missing one is bad input, said before anything starts. */
export function debianLauncher(name: RealBrowserName): Launcher {
  if (!isInstalled(name)) throw new InputError(`--driver ${name}: ${missingBrowserMessage(name)}`);
  const type = name === 'chromium' ? chromium : firefox;
  return (env) => type.launch(launchOptionsFor(name, env));
}
