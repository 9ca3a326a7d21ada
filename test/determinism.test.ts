// The same seed gives the same history (every field but wall time and what is measured of the
// heap); another seed another one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import { tempDir } from './helpers.ts';

function historyWithoutWall(dir: string): string[] {
  return readFileSync(join(dir, 'history.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const { wall: _wall, ...rest } = JSON.parse(line);
      // The heap's figures are measured: when they were taken is replayed, not what they found.
      if (rest.kind === 'heap.sample' || rest.kind === 'heap.snapshot') rest.data = { point: rest.data.point };
      return JSON.stringify(rest);
    });
}

describe('replay', () => {
  it('gives the same history for the same seed and a different one for another seed', async () => {
    const base = tempDir();
    const runs = await Promise.all(
      [
        ['a', 5],
        ['b', 5],
        ['c', 6],
      ].map(([name, seed]) =>
        executeRun({ scenario: 'browser-crash', pool: 'legacy', seed: seed as number, out: join(base, name as string) }),
      ),
    );
    const [a, b, c] = runs.map((r) => historyWithoutWall(r.outDir));
    expect(a!.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(runs[0]!.report.replay).toBe('tally run scenarios/browser-crash.scenario.ts --pool legacy --driver sim --seed 5');
  });
});
