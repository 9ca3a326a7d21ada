import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.ts';
import { compareReports, loadRunReport } from './compare.ts';
import { sampleReport } from './testing/fixtures.ts';

/** The story's before and after: 47 -> 0 mismatches per 30 min, ~50 -> ~5 MB/h. */
function storyPair() {
  const before = sampleReport({ pool: 'story', mismatches: 47, growthMBPerHour: 50 });
  const after = sampleReport({ pool: 'fixed', mismatches: 0, growthMBPerHour: 5 });
  return { before, after };
}

function rowOf(table: string, metric: string): string[] {
  const line = table.split('\n').find((l) => l.trimStart().startsWith(`${metric} `) || l.trim() === metric);
  if (line === undefined) throw new Error(`no row ${metric} in\n${table}`);
  return line
    .trim()
    .slice(metric.length)
    .trim()
    .split(/\s{2,}/);
}

describe('compare', () => {
  it('puts both runs side by side with the story figures', () => {
    const { before, after } = storyPair();
    const table = compareReports(before, after);
    expect(table.split('\n')[0]).toMatch(/^metric +story@watchdog-storm +fixed@watchdog-storm$/);
    expect(rowOf(table, 'verdict')).toEqual(['fail', 'pass']);
    expect(rowOf(table, 'violations total')).toEqual(['47', '0']);
    expect(rowOf(table, 'counter-matches-sessions')).toEqual(['47', '0']);
    expect(rowOf(table, 'quiescence')).toEqual(['0', '0']);
    expect(rowOf(table, 'counter mismatches / 30 min')).toEqual(['47.0', '0.0']);
    expect(rowOf(table, 'lock sweeps / 30 min')).toEqual(['0.0', '0.0']);
    expect(rowOf(table, 'memory growth MB/h')).toEqual(['50.0', '5.0']);
    expect(rowOf(table, 'peak closes / s')).toEqual(['0', '0']);
    expect(rowOf(table, 'peak watchdogs / s')).toEqual(['0', '0']);
    expect(rowOf(table, 'peak browsers')).toEqual(['0', '0']);
    expect(rowOf(table, 'jobs ok / failed')).toEqual(['1 / 0', '1 / 0']);
  });

  it('aligns every row to the same columns', () => {
    const { before, after } = storyPair();
    const lines = compareReports(before, after).trimEnd().split('\n');
    const width = lines[0]!.length;
    for (const line of lines) expect(line.length).toBe(width);
  });

  it('tells apart two runs of one pool and scenario', () => {
    const a = sampleReport({ seed: 1 });
    const b = sampleReport({ seed: 2 });
    expect(compareReports(a, b).split('\n')[0]).toContain('story@watchdog-storm seed 1');
    expect(compareReports(a, a).split('\n')[0]).toContain('story@watchdog-storm (after)');
  });

  it('loads a report from a run folder or its file, and names the path when it cannot', () => {
    const dir = tempDir('tally-compare-');
    const report = sampleReport();
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    expect(loadRunReport(dir)).toEqual(report);
    expect(loadRunReport(join(dir, 'report.json'))).toEqual(report);

    const empty = tempDir('tally-compare-');
    expect(() => loadRunReport(empty)).toThrow(`cannot read Tally report ${join(empty, 'report.json')}: no such file`);
    writeFileSync(join(empty, 'other.json'), '{"hello":1}');
    expect(() => loadRunReport(join(empty, 'other.json'))).toThrow(`${join(empty, 'other.json')} is not a Tally report`);
  });
});
