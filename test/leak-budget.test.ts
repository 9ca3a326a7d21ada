// budgets.leakedObjects: a pool that keeps per-job objects while its counter, sessions and locks stay
// right fails on what the leak analysis finds it holding once closed, and the report names the
// collection; the same wrapper done right passes. The heap growth budget is set out of reach, so
// the verdict is the leak budget's alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tally, tempDir } from './helpers.ts';

// One scenario hour of the soak's jobs, no faults: ~45 jobs between the baseline and target snapshots.
const RUN = [
  'run',
  'soak',
  '--set',
  'faults=[]',
  '--set',
  'durationMs=3600000',
  '--set',
  'budgets.heapGrowthMBPerHour=1000',
  '--set',
  'budgets.leakedObjects=0',
  '--quiet',
];

async function run(pool: string) {
  const out = tempDir();
  const result = await tally([...RUN, '--pool', `./test/fixtures/pools/${pool}.ts`, '--out', out]);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  return { ...result, out, report, markdown: readFileSync(join(out, 'report.md'), 'utf8') };
}

// Each run writes three snapshots and memlab reads them: half a minute on an idle machine, more on a busy one.
describe('leaked objects budget', { timeout: 180_000 }, () => {
  it('fails a pool that keeps every job’s page and result in a module-level map, naming the map (exit 1)', async () => {
    const { code, report, markdown, stdout, out } = await run('keeps-results-pool');
    expect(code).toBe(1);
    expect(report.invariants['counter-matches-sessions']).toBe(0);
    expect(report.invariants.budget).toBe(1);
    const budget = report.violations.find((v: { values: { figure?: string } }) => v.values.figure === 'leakedObjects');
    expect(budget.message).toMatch(/^leaked objects \d+ > budget 0 .*top cluster: \d+ × createPool\(\) → context → .*resultsByJob → Map/);
    expect(report.figures.leakedObjects).toBeGreaterThan(45);
    expect(markdown).toMatch(/leaked objects \(heap snapshots\).*resultsByJob/);
    expect(stdout).toMatch(/leaks: \d+ objects the closed pool holds or let go of alive; top: .*resultsByJob/);
    // Analysed, then removed: the snapshots are the largest files a run writes.
    expect(readFileSync(join(out, 'history.ndjson'), 'utf8')).toMatch(/"kind":"heap.snapshot".*"point":"final"/);
    expect(() => readFileSync(join(out, 'heap-final.heapsnapshot'))).toThrow(/ENOENT/);
  });

  it('passes the same wrapper done right (exit 0): the closed pool holds nothing it allocated', async () => {
    const { code, report } = await run('correct-wrapper-pool');
    expect(code).toBe(0);
    expect(report.figures.leakedObjects).toBe(0);
    expect(report.figures.heapMissing).toEqual([]);
  });
});
