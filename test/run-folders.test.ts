// A run never replaces an earlier run's evidence silently: the default folder is new for every
// run (with `latest` naming the newest), and an --out that holds a run is refused unless --force.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tally, tempDir } from './helpers.ts';

const SERIES = join('reports', 'runs', 'exception-mid-work', 'fixed-seed1');

/** The run folder a `tally run` printed in its summary. */
function printedFolder(stdout: string): string {
  const folder = /^\s*(\S+)\/report\.md/m.exec(stdout)?.[1];
  if (!folder) throw new Error(`no run folder in: ${stdout}`);
  return folder;
}

describe('default run folders', () => {
  it('two runs of one scenario keep both folders, and latest names the second', { timeout: 60_000 }, async () => {
    const cwd = tempDir();
    const first = await tally(['run', 'exception-mid-work', '--quiet'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    const second = await tally(['run', 'exception-mid-work', '--quiet'], { cwd });
    expect(second.code, second.stderr).toBe(0);

    const [firstFolder, secondFolder] = [printedFolder(first.stdout), printedFolder(second.stdout)];
    expect(firstFolder).not.toBe(secondFolder);
    const runs = readdirSync(join(cwd, SERIES)).filter((name) => name !== 'latest');
    expect(runs.map((name) => join(SERIES, name)).sort()).toEqual([firstFolder, secondFolder]);
    for (const folder of [firstFolder, secondFolder]) expect(readdirSync(join(cwd, folder))).toContain('report.json');
    expect(join(SERIES, readlinkSync(join(cwd, SERIES, 'latest')))).toBe(secondFolder);

    // The README's commands read the newest run through the link.
    const checked = await tally(['check', join(SERIES, 'latest')], { cwd });
    expect(checked.code, checked.stderr).toBe(0);
    const compared = await tally(['compare', firstFolder, join(SERIES, 'latest')], { cwd });
    expect(compared.code, compared.stderr).toBe(0);
  });
});

describe('--out onto an earlier run', () => {
  it('is refused with one line and exit 2, the run left as it was; --force replaces it', { timeout: 60_000 }, async () => {
    const out = join(tempDir(), 'run');
    const first = await tally(['run', 'exception-mid-work', '--quiet', '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    const report = readFileSync(join(out, 'report.json'), 'utf8');

    const refused = await tally(['run', 'exception-mid-work', '--quiet', '--seed', '2', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trimEnd().split('\n')).toEqual([
      `tally: --out ${out}: holds an earlier run (history.ndjson); give another folder, or --force to replace it`,
    ]);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(report);

    const forced = await tally(['run', 'exception-mid-work', '--quiet', '--seed', '2', '--out', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).seed).toBe(2);
  });
});
