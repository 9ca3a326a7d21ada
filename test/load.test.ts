// `tally load`: autocannon against `tally serve` in its own process, the scenario's faults striking
// the service's browsers; the load's figures join the run's report and the exit code is its verdict.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadFigures } from '../harness/load/load-figures.ts';
import { tally, tempDir } from './helpers.ts';

const out = tempDir('tally-load-');

function loadOf(folder: string): { verdict: { verdict: string }; load: LoadFigures } {
  return JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
}

describe('tally load on the sim driver', () => {
  it('watchdog-timeout under load: legacy exits 1, fixed exits 0, with the load figures in report.json', { timeout: 90_000 }, async () => {
    // 1/200: the 5-minute watchdog lasts 1.5 s. A 40-page job takes about 0.5 s, a third of it, so a
    // starved machine still finishes its jobs; a hang lasts 6 minutes, so the job it strikes times out
    // however fast the machine is (the scenario's real block does the same for real browsers).
    const codes: Record<string, number | null> = {};
    for (const pool of ['legacy', 'fixed']) {
      const folder = join(out, `watchdog-${pool}`);
      const result = await tally([
        'load',
        'watchdog-timeout',
        '--pool',
        pool,
        '--duration',
        '3',
        '--pages',
        '40',
        '--set',
        'real.timeScale=0.005',
        '--set',
        'faults.0.forMs=360000',
        '--out',
        folder,
      ]);
      codes[pool] = result.code;
      expect(result.stdout).toMatch(/^load: \d+ requests over/m);
      const { load } = loadOf(folder);
      expect(load.connections).toBe(10);
      expect(load.requests).toBeGreaterThan(0);
      expect(load.status['2xx'] + load.status['4xx'] + load.status['5xx']).toBe(load.requests);
      expect(load.latencyMs.p99).toBeGreaterThanOrEqual(load.latencyMs.p50);
      expect(load.errors).toBe(0);
    }
    expect(codes).toEqual({ legacy: 1, fixed: 0 });
  });

  it('ten times more connections than capacity: 429s, no 5xx, no errors, and the pool is quiescent afterwards', {
    timeout: 60_000,
  }, async () => {
    const folder = join(out, 'overload');
    const result = await tally(['load', '--connections', '40', '--duration', '3', '--pages', '5', '--out', folder]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = loadOf(folder);
    // The verdict covers quiescence: after the drain, no browser, session or lock is left.
    expect(report.verdict.verdict).toBe('pass');
    expect(report.load.status['429']).toBeGreaterThan(0);
    expect(report.load.status['5xx']).toBe(0);
    expect(report.load.status['2xx']).toBeGreaterThan(0);
    expect(report.load.errors).toBe(0);
    expect(report.load.timeouts).toBe(0);
  });
});
