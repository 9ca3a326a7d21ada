// A pool that leaks while its counter, sessions and locks stay right is caught by the heap budget
// (used heap after GC, sampled in every run), and the leak report names what holds the leak.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tally, tempDir } from './helpers.ts';

// Four scenario hours of the soak's jobs, no faults: ~190 jobs, a dozen heap samples.
const RUN = ['run', 'soak', '--set', 'faults=[]', '--set', 'durationMs=14400000', '--set', 'budgets.heapGrowthMBPerHour=1', '--quiet'];

async function run(pool: string, extra: string[] = []) {
  const out = tempDir();
  const result = await tally([...RUN, '--pool', `./test/fixtures/pools/${pool}.ts`, '--out', out, ...extra]);
  return { ...result, out, report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) };
}

describe('heap budget', () => {
  // memlab reads three heap snapshots: half a minute on an idle 2-core machine, more on a busy one.
  it('fails a pool that keeps every job’s page and result in a module-level map, and the leak report names the map', {
    timeout: 240_000,
  }, async () => {
    const { code, report, out, stdout } = await run('keeps-results-pool', ['--heap-snapshots']);
    expect(code).toBe(1);
    expect(report.invariants['counter-matches-sessions']).toBe(0);
    expect(report.violations.map((v: { message: string }) => v.message).join('\n')).toMatch(/heap growth .* MB\/h .* > budget 1/);
    const leaks = JSON.parse(readFileSync(join(out, 'leaks.json'), 'utf8'));
    expect(leaks.clusters[0].path.join(' → ')).toMatch(/^createPool\(\) → context → system \/ Context → resultsByJob → Map/);
    expect(stdout).toMatch(/resultsByJob/);
  });

  it('fails a pool that adds a listener per job and never removes it', async () => {
    const { code, report } = await run('listener-per-job-pool');
    expect(code).toBe(1);
    expect(report.figures.heapGrowthMBPerHour).toBeGreaterThan(1);
    expect(report.invariants.budget).toBe(1);
  });

  it('passes the same wrapper done right', async () => {
    const { code, report } = await run('correct-wrapper-pool');
    expect(code).toBe(0);
    expect(report.figures.heapSamples).toBeGreaterThanOrEqual(10);
    expect(report.figures.heapGrowthMBPerHour).toBeLessThan(1);
  });
});
