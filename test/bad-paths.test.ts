// Paths a user can get wrong: where a run writes, where scenarios are found. Each is one line on
// stderr and exit 2, said before the run starts, from whatever folder tally is run in.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, ROOT, tally, tempDir } from './helpers.ts';

/** `tally <args>` from another folder than the repository. */
const tallyIn = (cwd: string, args: string[]) => tally(args, { cwd });

function expectOneLine(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('--out that cannot hold a run', () => {
  it.each([
    ['/proc/x', /^tally: --out \/proc\/x: \/proc\/x is in a kernel file system/],
    ['/sys/x', /^tally: --out \/sys\/x: \/sys\/x is in a kernel file system/],
    ['/dev/fd/x', /^tally: --out \/dev\/fd\/x: \/proc\/\d+\/fd\/x is in a kernel file system/],
    ['/etc/hostname/x', /^tally: --out \/etc\/hostname\/x: cannot write the run's folder there: ENOTDIR/],
  ])('%s: exit 2, one line, nothing run', { timeout: 30_000 }, async (out, message) => {
    const result = await tally(['run', 'exception-mid-work', '--quiet', '--out', out]);
    expectOneLine(result, message);
    expect(result.stdout).toBe('');
  });
});

describe('scenarios from any folder', () => {
  const elsewhere = tempDir();
  const shipped = readdirSync(join(ROOT, 'scenarios')).filter((file) => file.endsWith('.scenario.ts'));

  it('tally list finds the project scenarios from another folder, or the folder given', async () => {
    const listed = await tallyIn(elsewhere, ['list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n')).toEqual(shipped.sort().map((file) => join(ROOT, 'scenarios', file)));
    const fixtures = await tallyIn(elsewhere, ['list', '--scenarios', join(ROOT, 'test/fixtures/scenarios')]);
    expect(fixtures.code, fixtures.stderr).toBe(0);
    expect(fixtures.stdout).toContain(join(ROOT, 'test/fixtures/scenarios'));
    expectOneLine(await tallyIn(elsewhere, ['list', '--scenarios', 'nowhere']), /^tally: scenarios folder nowhere: no such folder$/m);
  });

  it('a bare name runs from another folder; a missing one is named once, with what there is', async () => {
    const ran = await tallyIn(elsewhere, ['run', 'exception-mid-work', '--quiet', '--out', join(elsewhere, 'run')]);
    expect(ran.code, ran.stderr).toBe(0);
    expectOneLine(
      await tallyIn(elsewhere, ['run', 'nope']),
      /^tally: scenario nope: no such file, nor \/.*\/scenarios\/nope\.scenario\.ts \(scenarios there: [a-z-]+(, [a-z-]+)*\)$/m,
    );
    expectOneLine(await tally(['run', 'scenarios/x.scenario.ts']), /^tally: scenario scenarios\/x\.scenario\.ts: no such file$/m);
  });
});
