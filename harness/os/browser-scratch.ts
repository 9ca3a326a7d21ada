import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCmdline } from './proc.ts';
import { listRunProcesses } from './run-processes.ts';

/** Where Playwright keeps a launch's downloads and traces when given a folder (its launch option `artifactsDir`). */
export const ARTIFACTS_FOLDER = 'playwright-artifacts';

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
  const dir = mkdtempSync(join(tmpdir(), 'tally-browsers-'));
  mkdirSync(join(dir, ARTIFACTS_FOLDER));
  const profiles = new Set<string>();
  return {
    dir,
    noteProfiles() {
      for (const { pid } of listRunProcesses(runId))
        for (const arg of readCmdline(pid)) {
          const profile = PROFILE.exec(arg)?.[1];
          if (profile !== undefined) profiles.add(profile);
        }
    },
    remove() {
      for (const folder of [dir, ...profiles]) rmSync(folder, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
