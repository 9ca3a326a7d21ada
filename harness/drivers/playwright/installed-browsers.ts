import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { LaunchOptions } from 'playwright';
import { ARTIFACTS_FOLDER } from '../../os/browser-scratch.ts';

/**
 * The browsers Tally drives for real, as Debian packages them. Playwright's own browser downloads
 * are never used: `npm run browsers` installs these (see scripts/install-system-packages.sh).
 */
export type RealBrowserName = 'chromium' | 'firefox';

interface InstalledBrowser {
  /** Playwright's browser type that speaks to it. */
  engine: 'chromium' | 'firefox';
  executable: string;
  /** Environment variable that points at another build. */
  envVar: string;
  debianPackage: string;
}

export const INSTALLED_BROWSERS: Record<RealBrowserName, InstalledBrowser> = {
  // The binary itself: /usr/bin/chromium is a wrapper script that prints a warning on every start.
  chromium: { engine: 'chromium', executable: '/usr/lib/chromium/chromium', envVar: 'TALLY_CHROMIUM', debianPackage: 'chromium' },
  firefox: { engine: 'firefox', executable: '/usr/bin/firefox-esr', envVar: 'TALLY_FIREFOX', debianPackage: 'firefox-esr' },
};

/**
 * Without these, Chromium keeps trying to reach Google's services and, on a closed network,
 * stalls on refused connections. The sandbox needs user namespaces that containers often lack.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function executableOf(name: RealBrowserName): string {
  const browser = INSTALLED_BROWSERS[name];
  return process.env[browser.envVar] || browser.executable;
}

export function isInstalled(name: RealBrowserName): boolean {
  try {
    accessSync(executableOf(name), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** What to tell someone whose browser is missing. */
export function missingBrowserMessage(name: RealBrowserName): string {
  const browser = INSTALLED_BROWSERS[name];
  return `${name} is not installed at ${executableOf(name)}: run \`npm run browsers\` (as root it runs \`apt-get install -y ${browser.debianPackage}\`), or point ${browser.envVar} at another build`;
}

/**
 * Tally handles SIGINT/SIGTERM itself (close the pool, kill what the run started, write the run).
 * Playwright's own handlers would kill the browsers under the pool and exit the process with 130.
 */
export const SIGNALS_LEFT_TO_TALLY = { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } as const;

/**
 * Playwright launch options for a Debian browser. Firefox ESR is driven over WebDriver BiDi
 * (channel moz-firefox): Playwright's own Firefox protocol needs its patched build.
 */
export function launchOptionsFor(name: RealBrowserName, env: Record<string, string> = {}): LaunchOptions {
  const executablePath = executableOf(name);
  const withEnv = { ...process.env, ...env } as Record<string, string>;
  const common = { executablePath, env: withEnv, headless: true, ...SIGNALS_LEFT_TO_TALLY, ...artifactsIn(env.TMPDIR) };
  if (name === 'chromium') return { ...common, args: CHROMIUM_ARGS };
  return { ...common, channel: 'moz-firefox' };
}

/**
 * A launch given its own TMPDIR keeps Playwright's artifacts there too: `artifactsDir` is a launch
 * option Playwright's protocol takes but its typings do not name; without it, Playwright makes a
 * `playwright-artifacts-*` folder in this process's temp dir per browser (see browser-scratch.ts).
 */
function artifactsIn(tmpDir: string | undefined): Partial<LaunchOptions> {
  return tmpDir === undefined ? {} : ({ artifactsDir: join(tmpDir, ARTIFACTS_FOLDER) } as Partial<LaunchOptions>);
}
