// Heap snapshots of the process that holds the pool: memlab's three points, in the run folder and the history.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import { loadScenario } from '../harness/scenario/load-scenario.ts';
import { tempDir } from './helpers.ts';

function heapEvents(dir: string) {
  return readFileSync(join(dir, 'history.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((event) => event.kind === 'heap.snapshot' || event.kind === 'run.quiescent');
}

describe('heap snapshots', () => {
  it('takes baseline, target and final at their scenario times, after warm-up, faults and close', async () => {
    const out = tempDir();
    const { report } = await executeRun({
      scenario: 'exception-mid-work',
      pool: 'legacy',
      out,
      overrides: ['durationMs=300000', 'heap.at=[90000,240000]'],
      heapSnapshots: true,
      keepSnapshots: true,
    });
    expect(report.verdict.verdict).toBe('fail');
    const events = heapEvents(out);
    expect(events.map((event) => event.data.point ?? event.kind)).toEqual(['baseline', 'target', 'run.quiescent', 'final']);
    const [baseline, target, , final] = events;
    expect(baseline.t).toBeGreaterThanOrEqual(90_000);
    expect(baseline.t).toBeLessThan(target.t);
    expect(target.t).toBeGreaterThanOrEqual(240_000);
    expect(final.t).toBeGreaterThanOrEqual(300_000);
    for (const event of [baseline, target, final]) {
      const file = join(out, event.data.file);
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).size / 1e6).toBeCloseTo(event.data.sizeMB, 1);
      expect(readFileSync(file, 'utf8').slice(0, 12)).toBe('{"snapshot":');
      expect(event.data.gcMs).toBeGreaterThan(0);
      expect(event.data.writeMs).toBeGreaterThan(0);
      expect(event.data.heapUsedMB).toBeGreaterThan(1);
    }
    // The sim's pages live in this process: no page snapshots, and the report says so plainly.
    expect(report.figures.pageLeaks).toEqual([
      'page heap snapshots: not available on sim (simulated pages have no JS heap of their own: they are in the process snapshots)',
    ]);
    expect(readFileSync(join(out, 'leaks.md'), 'utf8')).toContain('page heap snapshots: not available on sim');
  });

  it('rejects snapshot times out of order, naming the field', async () => {
    await expect(loadScenario('exception-mid-work', ['heap.at=[240000,90000]'])).rejects.toThrow(
      /heap\.at.*baseline must come before the target/,
    );
  });
});
