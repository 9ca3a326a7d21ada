import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../../errors.ts';

/** Our own override of the install folder; wins over camoufox-js's `CAMOUFOX_INSTALL_DIR`. */
export const TALLY_CAMOUFOX_DIR = 'TALLY_CAMOUFOX_DIR';
/** The override camoufox-js itself reads, once, when its `pkgman` module is first imported. */
export const CAMOUFOX_INSTALL_DIR = 'CAMOUFOX_INSTALL_DIR';

export interface CamoufoxInstall {
  /** The install folder (what camoufox-js calls INSTALL_DIR). */
  dir: string;
  executable: string;
  /** `<version>-<release>` from version.json, as camoufox-js's `installedVerStr()` spells it. */
  version: string;
}

/** Where each file of an install lives, on one platform. */
export interface CamoufoxLayout {
  dir: string;
  /** Where camoufox-js's `getPath` looks for everything but the executable and version.json. */
  resources: string;
  executable: string;
  versionJson: string;
  propertiesJson: string;
}

/**
 * The folder camoufox-js downloads to and launches from (pkgman.ts: `INSTALL_DIR`): its
 * `CAMOUFOX_INSTALL_DIR` when set, otherwise the per-user cache folder.
 */
export function camoufoxInstallDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const ours = env[TALLY_CAMOUFOX_DIR];
  if (ours) return resolve(ours);
  const theirs = env[CAMOUFOX_INSTALL_DIR];
  if (theirs) return resolve(theirs);
  const home = (platform === 'win32' ? env.USERPROFILE : env.HOME) || homedir();
  if (platform === 'win32') return join(home, 'AppData', 'Local', 'camoufox', 'camoufox', 'Cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'camoufox');
  return join(home, '.cache', 'camoufox');
}

/**
 * The files camoufox-js reads from an install (pkgman.ts `getPath`/`LAUNCH_FILE`, utils.ts
 * `loadProperties`): on macOS they sit inside the app bundle, version.json stays at the top.
 */
export function camoufoxLayout(dir: string, platform: NodeJS.Platform = process.platform): CamoufoxLayout {
  const versionJson = join(dir, 'version.json');
  if (platform === 'darwin') {
    const resources = join(dir, 'Camoufox.app', 'Contents', 'Resources');
    return {
      dir,
      resources,
      executable: resolve(resources, '..', 'MacOS', 'camoufox'),
      versionJson,
      propertiesJson: join(resources, 'properties.json'),
    };
  }
  const binary = platform === 'win32' ? 'camoufox.exe' : 'camoufox-bin';
  return { dir, resources: dir, executable: join(dir, binary), versionJson, propertiesJson: join(dir, 'properties.json') };
}

/**
 * The Camoufox install camoufox-js would launch, or an InputError that says what is missing and
 * how to get it. Only looks at files: camoufox-js, asked for a missing browser, retries downloads
 * from GitHub for ~25 s and leaves an unhandled rejection behind, so this runs before it is loaded.
 */
export function checkCamoufoxInstalled(env: NodeJS.ProcessEnv = process.env): CamoufoxInstall {
  const layout = camoufoxLayout(camoufoxInstallDir(env));
  const problem = missingFile(layout);
  if (problem) throw new InputError(notInstalledMessage(layout.dir, problem));
  return { dir: layout.dir, executable: layout.executable, version: readVersion(layout) };
}

function missingFile(layout: CamoufoxLayout): string | undefined {
  if (!isFolder(layout.dir)) return `${layout.dir} does not exist`;
  try {
    accessSync(layout.executable, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
  } catch {
    return `the browser ${layout.executable} is missing or not executable`;
  }
  if (!isFile(layout.versionJson)) return `${layout.versionJson} is missing`;
  if (!isFile(layout.propertiesJson)) return `${layout.propertiesJson} is missing`;
  return undefined;
}

/** `<version>-<release>`: camoufox-js needs both fields to pick the Firefox version it spoofs. */
function readVersion(layout: CamoufoxLayout): string {
  const file = layout.versionJson;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(notInstalledMessage(layout.dir, `${file} is not valid JSON (${(error as Error).message})`));
  }
  const { version, release } = (data ?? {}) as { version?: unknown; release?: unknown };
  if (typeof version !== 'string' || typeof release !== 'string') {
    throw new InputError(
      notInstalledMessage(layout.dir, `${file} needs the string fields "version" and "release", as \`camoufox-js fetch\` writes them`),
    );
  }
  return `${version}-${release}`;
}

export function notInstalledMessage(dir: string, problem: string): string {
  return [
    `Camoufox is not installed at ${dir}: ${problem}.`,
    `Its browser comes from GitHub releases: run \`npx camoufox-js fetch\` on a machine that can reach GitHub,`,
    `or copy an installed folder (camoufox-bin, version.json, properties.json, ...) here and set ${TALLY_CAMOUFOX_DIR} (or ${CAMOUFOX_INSTALL_DIR}) to it.`,
  ].join('\n');
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
