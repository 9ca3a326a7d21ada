// The load's shape from the scenario's `load` block: a request rate and a weighted mix of jobs, as
// the service received them (its own history) and as report.json says them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadFigures } from '../harness/load/load-figures.ts';
import { historyOf, tally, tempDir } from './helpers.ts';

const out = tempDir('tally-load-shape-');
const SCENARIO = 'test/fixtures/scenarios/load-mix.scenario.ts';
const SECONDS = 3;

describe('tally load in the scenario’s shape', () => {
  it('sends each body of the mix in the order of its weights, at no more than the rate asked', { timeout: 60_000 }, async () => {
    const folder = join(out, 'mix');
    const result = await tally(['load', SCENARIO, '--duration', String(SECONDS), '--out', folder]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^shape: rate 5 req\/s asked, [\d.]+ req\/s achieved; store-1 × 1 pages \(weight 3\): \d+ answered/m);

    // The bodies are told apart in the service's history by their pages: store-1 asks 1, store-2 asks 3.
    const starts = historyOf(folder).filter((event) => event.kind === 'job.start');
    const light = starts.filter((event) => event.data.pages === 1).length;
    const heavy = starts.filter((event) => event.data.pages === 3).length;
    expect(light + heavy).toBe(starts.length);
    expect(heavy).toBeGreaterThan(0);
    expect(light).toBeGreaterThan(heavy);

    const { load } = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as { load: LoadFigures };
    expect(load.asked.rate).toBe(5);
    expect(load.asked.mix.map(({ store, pages, weight }) => [store, pages, weight])).toEqual([
      ['store-1', 1, 3],
      ['store-2', 3, 1],
    ]);
    // autocannon counts the answers it got per body; the service also started the jobs still in flight when the load stopped.
    const [answeredLight, answeredHeavy] = load.asked.mix.map((body) => body.answered) as [number, number];
    expect(answeredLight).toBeGreaterThan(0);
    expect(answeredLight).toBeLessThanOrEqual(light);
    expect(answeredHeavy).toBeLessThanOrEqual(heavy);
    expect(answeredLight + answeredHeavy).toBe(load.requests);
    // An upper bound only, with a second's slack for autocannon's per-second windows at either end.
    // Unlimited, 8 connections on one-page jobs of about 0.2 s would send several times as many.
    expect(starts.length).toBeLessThanOrEqual(5 * (SECONDS + 2));
  });

  it('refuses a malformed load block naming the field', async () => {
    const result = await tally(['load', SCENARIO, '--set', 'load.rate=0', '--duration', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/load\.rate: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
