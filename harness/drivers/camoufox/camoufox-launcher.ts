import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, LaunchOptions } from 'playwright';
import { InputError } from '../../errors.ts';
import { SIGNALS_LEFT_TO_TALLY } from '../playwright/installed-browsers.ts';
import {
  CAMOUFOX_INSTALL_DIR,
  type CamoufoxInstall,
  camoufoxLayout,
  checkCamoufoxInstalled,
  notInstalledMessage,
} from './camoufox-install.ts';
import { type CamoufoxOptions, toCamoufoxJsOptions } from './camoufox-options.ts';
import { probeWebglDatabase, WEBGL_DATABASE_FIX } from './webgl-database.ts';

export { type CamoufoxInstall, checkCamoufoxInstalled } from './camoufox-install.ts';
export type { CamoufoxOptions } from './camoufox-options.ts';

/** camoufox-js errors that mean the options were wrong, not that something broke. */
const CAMOUFOX_INPUT_ERRORS = new Set([
  'InvalidOS',
  'InvalidLocale',
  'UnknownTerritory',
  'UnknownLanguage',
  'LocaleError',
  'InvalidAddonPath',
  'UnknownProperty',
  'InvalidPropertyType',
]);

/**
 * Playwright options for `firefox.launch()` that start Camoufox with a generated fingerprint (in
 * `CAMOU_CONFIG_*` env vars), built by camoufox-js's `launchOptions`, with `extraEnv` (the run's
 * process markers) on top. Checks the install first and loads camoufox-js only when it passed:
 * camoufox-js meets a missing browser with downloads.
 */
export async function camoufoxLaunchOptions(options: CamoufoxOptions, extraEnv: Record<string, string>): Promise<LaunchOptions> {
  const install = checkCamoufoxInstalled(process.env);
  const camoufox = await loadCamoufoxJs(install);
  const webglDatabase = options.blockWebgl === true ? { usable: false, reason: 'WebGL is blocked' } : await probeWebglDatabase();
  const input = toCamoufoxJsOptions(options, {
    defaultAddonInstalled: existsSync(join(camoufoxLayout(install.dir).resources, 'addons', 'UBO', 'manifest.json')),
    webglDatabase,
    webglDatabaseFix: WEBGL_DATABASE_FIX,
  });
  if (options.blockWebgl === undefined && !webglDatabase.usable) warnWebglBlocked(webglDatabase.reason);
  let built: Record<string, unknown>;
  try {
    built = await camoufox.launchOptions({ ...input, env: parentEnv() });
  } catch (error) {
    const name = (error as Error).name;
    if (CAMOUFOX_INPUT_ERRORS.has(name)) throw new InputError(`camoufox: ${(error as Error).message}`);
    throw new Error(`camoufox-js could not build the launch options: ${(error as Error).message}`, { cause: error });
  }
  if (built.executablePath !== install.executable) {
    throw new Error(`camoufox-js would launch ${String(built.executablePath)}, not the checked ${install.executable}`);
  }
  return { ...built, env: { ...(built.env as Record<string, string>), ...extraEnv } } as LaunchOptions;
}

/**
 * A launcher for the Playwright driver: checks the install at once (an InputError before the run
 * starts anything), then launches Camoufox with the run's markers in its environment.
 */
export function camoufoxLauncher(options: CamoufoxOptions): (env: Record<string, string>) => Promise<Browser> {
  checkCamoufoxInstalled(process.env);
  return async (env) => {
    const launchOptions = await camoufoxLaunchOptions(options, env);
    const { firefox } = await import('playwright');
    return firefox.launch({ ...launchOptions, ...SIGNALS_LEFT_TO_TALLY });
  };
}

/**
 * camoufox-js fixes its install folder from `CAMOUFOX_INSTALL_DIR` when its `pkgman` module is
 * first imported, and downloads the browser (without awaiting it: an unhandled rejection here)
 * whenever that folder lacks a supported version. So the variable is set to the checked folder
 * before the import, and camoufox-js's own version check runs with downloads turned off.
 */
async function loadCamoufoxJs(install: CamoufoxInstall): Promise<typeof import('camoufox-js')> {
  const current = process.env[CAMOUFOX_INSTALL_DIR];
  if (!current || resolve(current) !== install.dir) process.env[CAMOUFOX_INSTALL_DIR] = install.dir;
  const pkgman = await import('camoufox-js/dist/pkgman.js');
  if (pkgman.INSTALL_DIR !== install.dir) {
    throw new InputError(
      `camoufox-js is already loaded with the install folder ${pkgman.INSTALL_DIR}, not ${install.dir}: one install folder per process (set it before the first launch)`,
    );
  }
  try {
    pkgman.camoufoxPath(false);
  } catch (error) {
    throw new InputError(
      notInstalledMessage(install.dir, `camoufox-js does not accept version ${install.version} (${(error as Error).message})`),
    );
  }
  return import('camoufox-js');
}

/** Our environment for the browser, minus fingerprint chunks: camoufox-js lets the env it is given override the ones it generates. */
function parentEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('CAMOU_CONFIG_')) env[key] = value;
  }
  return env;
}

let warnedWebglBlocked = false;
function warnWebglBlocked(reason: string | undefined): void {
  if (warnedWebglBlocked) return;
  warnedWebglBlocked = true;
  process.emitWarning(
    `Camoufox runs with WebGL blocked: camoufox-js's WebGL database cannot be read here (${reason}). To spoof WebGL instead, ${WEBGL_DATABASE_FIX}.`,
    { code: 'TALLY_CAMOUFOX_WEBGL' },
  );
}
