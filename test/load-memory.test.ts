// `tally load --memory-limit`: the service under a heap limit and a supervisor that restarts it
// when it dies, as the story's pod was; the report counts the OOM deaths and restarts ("OOM 3 → 0"),
// and every incarnation's history is kept and judged.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incarnation } from '../harness/report/incarnations.ts';
import { processesNaming, tally, tempDir } from './helpers.ts';

const out = tempDir('tally-load-memory-');

/**
 * The soak at 1/1000 (20 s of load are 5.5 scenario hours) with each simulated browser holding
 * 10 MB of real heap (sim.browserMB 10000 at the sim's 1/1000): the legacy pool's leaked browsers
 * reach a 96 MB heap in about 6 s (about 7 of them), while the fixed pool holds at most its 4
 * working ones (40 MB). At 5 MB each, the first death came at 17 s of the 20: whether it came at
 * all hung on where the strikes fell. Each
 * fault must strike once (a day's minimums do not fit 5.5 hours). What is judged here is death by
 * memory, not slopes: the day's heap budget (0.6 MB/h of used heap) over 20 wall seconds measures the
 * collector's noise, and 0–4 browsers of 5 GB each make a sawtooth whose fitted slope swings by
 * hundreds of MB/h, so both slope budgets are set out of reach.
 */
const SHORT_SOAK = [
  'load',
  'soak',
  '--memory-limit',
  '96',
  '--connections',
  '4',
  '--duration',
  '20',
  '--set',
  'real.timeScale=0.001',
  '--set',
  'sim.browserMB=10000',
  ...[0, 1, 2, 3, 4].flatMap((fault) => ['--set', `faults.${fault}.minStrikes=1`]),
  '--set',
  'budgets.heapGrowthMBPerHour=1000000',
  '--set',
  'budgets.memoryGrowthMBPerHour=1000000',
];

interface SupervisedReport {
  verdict: { verdict: string; why: string };
  invariants: Record<string, number>;
  load: { requests: number };
  memory: { limitMB: number; oomDeaths: number; deaths: number; restarts: number; incarnations: (Incarnation & { events: number })[] };
}

function reportOf(folder: string): SupervisedReport {
  return JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
}

describe('tally load soak --memory-limit on the sim driver', () => {
  it('the legacy pool is OOM-killed and restarted, no history is lost, and tally check judges the whole', {
    timeout: 120_000,
  }, async () => {
    const folder = join(out, 'legacy');
    const result = await tally([...SHORT_SOAK, '--pool', 'legacy', '--out', folder]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const { memory, verdict, load } = reportOf(folder);
    expect(memory.limitMB).toBe(96);
    expect(memory.oomDeaths).toBeGreaterThanOrEqual(1);
    expect(memory.restarts).toBeGreaterThanOrEqual(1);
    expect(memory.incarnations).toHaveLength(memory.restarts + 1);
    expect(load.requests).toBeGreaterThan(0);
    // Every incarnation kept its history; the dead ones end where V8 gave up, the last was stopped and reported.
    for (const incarnation of memory.incarnations) {
      expect(existsSync(join(folder, incarnation.folder, 'history.ndjson'))).toBe(true);
      expect(incarnation.events).toBeGreaterThan(0);
    }
    const last = memory.incarnations.at(-1)!;
    expect(last.end).toBe('stopped');
    expect(existsSync(join(folder, last.folder, 'report.json'))).toBe(true);
    expect(memory.incarnations.filter((incarnation) => incarnation.end === 'oom')).toHaveLength(memory.oomDeaths);
    expect(verdict.why).toContain(`out of memory under a 96 MB heap limit`);
    expect(readFileSync(join(folder, 'report.md'), 'utf8')).toContain(`${memory.oomDeaths} OOM death`);
    expect(result.stdout).toMatch(/^memory: [1-9]\d* OOM deaths? .* under a 96 MB heap limit$/m);

    const check = await tally(['check', folder]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      `deaths: ${memory.deaths} (${memory.oomDeaths} out of memory under a 96 MB heap limit), restarts: ${memory.restarts}`,
    );
    expect(processesNaming(folder)).toEqual([]);
  });

  it('the fixed pool under the same limit is never OOM-killed and passes', { timeout: 120_000 }, async () => {
    const folder = join(out, 'fixed');
    const result = await tally([...SHORT_SOAK, '--pool', 'fixed', '--out', folder]);
    const { memory, verdict, invariants } = reportOf(folder);
    expect(memory).toMatchObject({ oomDeaths: 0, deaths: 0, restarts: 0 });
    expect(memory.incarnations.map((incarnation) => incarnation.end)).toEqual(['stopped']);
    // The violations themselves, when there are any: which invariant or budget, with its figures.
    expect(invariants, `${verdict.why}: ${result.stdout}`).toEqual(Object.fromEntries(Object.keys(invariants).map((name) => [name, 0])));
    expect(result.code, `${verdict.verdict}: ${verdict.why}`).toBe(0);
    expect((await tally(['check', folder])).code).toBe(0);
    expect(processesNaming(folder)).toEqual([]);
  });
});
