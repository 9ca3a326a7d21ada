// A run passes only if it exercised what its scenario says: its faults struck and its jobs worked.
// Launches slower than the scenario assumed (Firefox under load takes ~10 s) are played in the sim
// by a long `sim.launchMs`, which reproduces the hollow PASS: no fault struck, no job worked, exit 0.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import { tally, tempDir } from './helpers.ts';

const out = tempDir();
const run = (pool: string, overrides: string[]) =>
  executeRun({ scenario: 'watchdog-timeout', pool, overrides, out: join(out, pool, overrides.join('_')) }).then((r) => r.report);

describe('coverage on every verdict', () => {
  it('a run whose launches outlast the watchdog is undecided (exit 2), naming the missed strikes and the jobs that never worked', async () => {
    const folder = join(out, 'hollow');
    const result = await tally(['run', 'watchdog-timeout', '--pool', 'fixed', '--set', 'sim.launchMs=400000', '--out', folder, '--quiet']);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout).toMatch(
      /^UNKNOWN: no violation seen, but the run tested less than its scenario says: 15 of 15 hang strikes found no working session; 0 of \d+ jobs completed \(the scenario asks at least 1\); the first failed: watchdog timeout/,
    );
  });

  // Launches of 150 s: the first hangs, due at 2 and 4 minutes, find nothing working yet.
  const slow = ['sim.launchMs=150000', 'workload.pagesPerJob=40', 'workload.rampMs=0'];

  it('faults timed on the clock miss on a slow machine: undecided, not a pass', async () => {
    const fixed = await run('fixed', slow);
    expect(fixed.violationsTotal).toBe(0);
    expect(fixed.verdict.code).toBe(2);
    expect(fixed.coverage.gaps).toEqual([expect.stringMatching(/^\d+ of 15 hang strikes found no working session$/)]);
  });

  it('faults timed on the jobs (afterWorking) strike on a slow machine too: the verdict is decided again', async () => {
    const onJobs = [...slow, 'faults.0.afterWorking=1'];
    const fixed = await run('fixed', onJobs);
    expect(fixed.coverage.gaps).toEqual([]);
    expect(fixed.figures.faultsMissed).toBe(0);
    expect(fixed.verdict.code).toBe(0);
    const legacy = await run('legacy', onJobs);
    expect(legacy.verdict.code).toBe(1);
    expect(legacy.invariants['single-release']).toBeGreaterThan(0);
  });

  it('a scenario can accept fewer strikes (minStrikes) and the storm asks for no job to work', async () => {
    const lenient = await run('fixed', [...slow, 'faults.0.minStrikes=5']);
    expect(lenient.figures.faultsMissed).toBeGreaterThan(0);
    expect(lenient.verdict.code).toBe(0);
    const storm = (await executeRun({ scenario: 'watchdog-storm', pool: 'fixed', out: join(out, 'storm') })).report;
    expect(storm.figures.jobs.ok).toBe(0);
    expect(storm.verdict.code).toBe(0);
  });
});
