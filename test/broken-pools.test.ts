// Pools written against the contract alone: a correct one passes, each broken one trips the
// invariant it breaks, end to end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import { tally, tempDir } from './helpers.ts';

const out = tempDir();
const run = (pool: string, scenario: string, overrides: string[] = []) =>
  executeRun({ scenario, pool: `test/fixtures/pools/${pool}.ts`, overrides, out: join(out, pool, scenario) }).then((r) => r.report);

describe("a user's pool", () => {
  it('passes when it is correct', async () => {
    const report = await run('simple-pool', 'exception-mid-work');
    expect(report.verdict.code).toBe(0);
    expect(report.figures.jobs.failed).toBeGreaterThan(0); // the injected exceptions failed jobs, cleanly
  });

  it('trips counter-within-bounds when it ignores maxBrowsers', async () => {
    const report = await run('unbounded-pool', 'exception-mid-work', ['pool.maxBrowsers=4']);
    expect(report.verdict.code).toBe(1);
    expect(report.invariants['counter-within-bounds']).toBeGreaterThan(0);
    expect(report.violations.find((v) => v.invariant === 'counter-within-bounds')!.message).toMatch(/^counter\(\d+\) > maxBrowsers\(4\)$/);
  });

  it('trips quiescence when close() leaves a timer pending', async () => {
    const report = await run('forgets-timer-pool', 'exception-mid-work');
    expect(report.verdict.code).toBe(1);
    expect(report.invariants.quiescence).toBe(1);
    expect(report.violations.find((v) => v.invariant === 'quiescence')!.values.timerLabels).toEqual(['heartbeat']);
  });

  it('is caught hanging forever on a stalled navigation: its stuck sessions outlive close()', async () => {
    const report = await run('simple-pool', 'network-stall');
    expect(report.endReason).toBe('deadline');
    expect(report.verdict.code).toBe(1);
    expect(report.invariants.quiescence).toBe(1);
    // The report names the jobs the run waited for in vain.
    const { unsettledJobs } = report.figures;
    expect(unsettledJobs.count).toBeGreaterThan(0);
    expect(unsettledJobs.sessions.length).toBe(Math.min(unsettledJobs.count, 20));
    expect(readFileSync(join(out, 'simple-pool', 'network-stall', 'report.md'), 'utf8')).toContain(
      `${unsettledJobs.count} job${unsettledJobs.count === 1 ? '' : 's'} never settled (started, never ended; the run ended: deadline): ${unsettledJobs.sessions[0]}`,
    );
  });

  it('is given a deadline when its close() never settles: the run writes its report and exits 2, saying why', async () => {
    const folder = join(out, 'close-never-settles');
    const result = await tally([
      'run',
      'exception-mid-work',
      '--pool',
      'test/fixtures/pools/close-never-settles-pool.ts',
      '--out',
      folder,
      '--quiet',
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toMatch(
      /^UNKNOWN: no violation seen, but the run did not finish \(ended by error\)\n {2}error: close\(\) did not return within \d+ ms/,
    );
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    expect(report.error).toMatch(/^close\(\) did not return within/);
  });
});
