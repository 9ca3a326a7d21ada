// A real run leaves nothing in the temp dir, even when its browsers are SIGKILLed: Playwright's
// profile and artifacts folders, Chromium's own org.chromium.Chromium.* and the run's scratch
// folder all go with the run. The run is given a temp dir of its own (TMPDIR), so what is left
// there is the run's, whatever else runs on the machine.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRunProcesses } from '../harness/os/run-processes.ts';
import { tally, tempDir } from './helpers.ts';
import { needsBrowser } from './needs.ts';

/**
 * Caches the tools keep in the temp dir once per user, reused by every run, not made per run:
 * tsx's compiled modules (`tsx-<uid>`), memlab's working folder (made when it is loaded).
 */
const TOOL_CACHES = /^(tsx-\d+|memlab)$/;

/** What the temp dir holds after the run, but the tools' caches and the run registry's folder when it is empty. */
function leftIn(tmp: string): string[] {
  return readdirSync(tmp).filter(
    (name) => !TOOL_CACHES.test(name) && !(name === 'tally-runs' && readdirSync(join(tmp, name)).length === 0),
  );
}

describe.runIf(needsBrowser('chromium'))('temp files of a real run', () => {
  it('browser-crash on Chromium: browsers SIGKILLed, yet no folder and no process of the run is left', { timeout: 180_000 }, async () => {
    const tmp = tempDir('tally-tmp-');
    const folder = join(tempDir(), 'run');
    const result = await tally(['run', 'browser-crash', '--pool', 'legacy', '--driver', 'chromium', '--out', folder, '--quiet'], {
      env: { TMPDIR: tmp },
    });
    expect([0, 1, 2], result.stderr + result.stdout).toContain(result.code);
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    // The crash fault struck: browsers were killed under Playwright.
    expect(report.figures.faultCount).toBeGreaterThan(0);
    const runId = JSON.parse(readFileSync(join(folder, 'history.ndjson'), 'utf8').split('\n')[0]!).data.runId;
    expect(listRunProcesses(runId)).toEqual([]);
    expect(leftIn(tmp)).toEqual([]);
  });
});
