// `tally check` judges a saved history as `tally run` judged the run: invariants, budgets and
// coverage, from the history alone; and a history that is empty or cut is never a pass.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import { ROOT, tally, tempDir } from './helpers.ts';

const out = tempDir();
const SCENARIOS = readdirSync(join(ROOT, 'scenarios'))
  .filter((file) => file.endsWith('.scenario.ts'))
  .map((file) => file.replace('.scenario.ts', ''));

async function runAndCheck(scenario: string, pool: string, overrides: string[] = []) {
  const folder = join(out, scenario, pool, overrides.join('_'));
  const { report } = await executeRun({ scenario, pool, overrides, out: folder });
  const checked = await tally(['check', folder]);
  return { report, checked, folder };
}

describe('tally check gives the verdict tally run gave', () => {
  it('finds the shipped scenarios', () => expect(SCENARIOS.length).toBeGreaterThanOrEqual(8));

  for (const scenario of SCENARIOS) {
    it(`${scenario}: legacy and fixed, online and offline`, { timeout: 120_000 }, async () => {
      for (const pool of ['legacy', 'fixed']) {
        const { report, checked } = await runAndCheck(scenario, pool);
        expect(checked.code, `${pool}: ${checked.stdout}${checked.stderr}`).toBe(report.verdict.code);
        expect(checked.stdout).toContain(`${report.verdict.verdict.toUpperCase()}: ${report.verdict.why}`);
        for (const [name, count] of Object.entries(report.invariants))
          expect(checked.stdout).toMatch(new RegExp(`^${name}\\s+${count}$`, 'm'));
      }
    });
  }

  it('a storm over its closes-per-second budget fails offline too', async () => {
    const { report, checked } = await runAndCheck('watchdog-storm', 'fixed', ['pool.jitterMs=0']);
    expect(report.invariants.budget).toBe(1);
    expect(report.verdict.code).toBe(1);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/\[budget\] peak closes per second \d+ > budget 10/);
  });

  it('a hollow run (no strike struck, no job worked) is undecided offline too', async () => {
    const { report, checked } = await runAndCheck('watchdog-timeout', 'fixed', ['sim.launchMs=400000']);
    expect(report.verdict.code).toBe(2);
    expect(checked.code).toBe(2);
    expect(checked.stdout).toContain('15 of 15 hang strikes found no working session');
  });
});

describe('tally check on an empty or cut history', () => {
  const lines = async (pool: string) => {
    const folder = join(out, 'exception-mid-work', pool);
    return readFileSync(join(folder, 'history.ndjson'), 'utf8').trimEnd().split('\n');
  };
  const checkText = async (name: string, text: string) => {
    const path = join(out, name);
    writeFileSync(path, text);
    return tally(['check', path]);
  };

  it('no events: undecided, saying so', async () => {
    const checked = await checkText('empty.ndjson', '');
    expect(checked.code).toBe(2);
    expect(checked.stdout).toMatch(/^UNKNOWN: the history has no events/m);
  });

  it('cut at a line boundary: undecided and marked cut; a violation already in it still fails', async () => {
    const fixed = await lines('fixed');
    const half = fixed.slice(0, Math.floor(fixed.length / 2));
    const cut = await checkText('cut-fixed.ndjson', `${half.join('\n')}\n`);
    expect(cut.code, cut.stdout).toBe(2);
    expect(cut.stdout).toMatch(new RegExp(`^cut: the history ends without run\\.end after ${half.length} events`, 'm'));
    expect(cut.stdout).toMatch(/^UNKNOWN: no violation seen, but the history is cut/m);

    const legacy = await lines('legacy');
    const cutLegacy = await checkText('cut-legacy.ndjson', `${legacy.slice(0, -1).join('\n')}\n`);
    expect(cutLegacy.code, cutLegacy.stdout).toBe(1);
    expect(cutLegacy.stdout).toMatch(/^FAIL: \d+ violations found \(the history is cut/m);
  });

  it('a half-written last line is what a kill leaves: left out and said, not a malformed file', async () => {
    const fixed = await lines('fixed');
    const text = `${fixed.slice(0, 100).join('\n')}\n${fixed[100]!.slice(0, 20)}`;
    const checked = await checkText('half-line.ndjson', text);
    expect(checked.code, checked.stderr).toBe(2);
    expect(checked.stdout).toMatch(/after 100 events, .* \(line 101 is half-written and was left out\)/);
  });
});
