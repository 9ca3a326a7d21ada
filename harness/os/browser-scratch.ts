import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { readCmdline } from './proc.ts';
import { listRunProcesses } from './run-processes.ts';

/** Where Playwright keeps a launch's downloads and traces when given a folder (its launch option `artifactsDir`). */
export const ARTIFACTS_FOLDER = 'playwright-artifacts';

const SCRATCH_PREFIX = 'tally-browsers-';
/** The profile folders noted so far, one a line: read back by whoever removes the scratch, this run or the next. */
const PROFILES_FILE = 'profiles.txt';

/**
 * The profile folder Playwright makes for each browser it launches (`mkdtemp` in the temp dir of
 * the process that launches, `--user-data-dir=…` for Chromium, `-profile …` for Firefox). Playwright
 * removes it only once the browser's process has closed and its asynchronous removal has finished,
 * so a browser SIGKILLed with its children, or a run that ends first, leaves it behind.
 */
const PROFILE = /(?:^|=)(\/\S*\/playwright_\w+dev_profile-\w+)$/;

/**
 * A run's scratch space for its browsers, so that nothing they and Playwright write to the temp dir
 * outlives the run: the browsers get `TMPDIR` pointed into one folder (Chromium's
 * `org.chromium.Chromium.*`, Firefox's own temp files), Playwright its artifacts folder there, and the
 * profile folders Playwright makes outside it are noted from each browser's command line as it comes
 * up. `remove()` deletes all of it, once the run's processes are gone.
 */
export function createBrowserScratch(runId: string): {
  dir: string;
  noteProfiles(): void;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), SCRATCH_PREFIX));
  mkdirSync(join(dir, ARTIFACTS_FOLDER));
  const profiles = new Set<string>();
  return {
    dir,
    noteProfiles() {
      for (const { pid } of listRunProcesses(runId))
        for (const arg of readCmdline(pid)) {
          const profile = PROFILE.exec(arg)?.[1];
          if (profile === undefined || profiles.has(profile)) continue;
          profiles.add(profile);
          appendFileSync(join(dir, PROFILES_FILE), `${profile}\n`);
        }
    },
    remove: () => removeBrowserScratch(dir),
  };
}

/**
 * Removes a scratch folder and the profiles it names. Only a folder this module makes is touched
 * (the path comes from a run's record in the shared temp dir too), and only profile folders.
 */
export function removeBrowserScratch(dir: string): void {
  if (dirname(dir) !== tmpdir() || !basename(dir).startsWith(SCRATCH_PREFIX)) return;
  let noted: string[] = [];
  try {
    noted = readFileSync(join(dir, PROFILES_FILE), 'utf8').split('\n');
  } catch {
    // No browser came up.
  }
  const profiles = noted.filter((line) => PROFILE.test(line));
  for (const folder of [...profiles, dir]) rmSync(folder, { recursive: true, force: true, maxRetries: 5 });
}
