// Leak reports from the run's heap snapshots (memlab parses them): the legacy pool's orphan lock
// holds a browser; the fixed pool holds nothing after close.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import type { LeakReport } from '../harness/heap/leak-report.ts';
import { tally, tempDir } from './helpers.ts';

/** A run with --heap-snapshots analyses them itself, into the run folder's leaks.json. */
async function leaksOf(pool: string, scenario = 'watchdog-timeout'): Promise<LeakReport> {
  const out = tempDir();
  const { report } = await executeRun({ scenario, pool, out, heapSnapshots: true });
  expect(report.figures.heapMissing).toEqual([]);
  return JSON.parse(readFileSync(join(out, 'leaks.json'), 'utf8'));
}

// The orphan lock's chain, from the pool to the browser it keeps.
const ORPHAN_LOCK = /^LegacyBrowserService \| #locks → SessionLockRegistry \| #locks → Map .*\[i\] → Object$/;

// Each run writes three snapshots and memlab reads them: a minute or more on a busy 2-core machine.
describe('leak report', { timeout: 240_000 }, () => {
  it("names the legacy pool's orphan lock: lock registry → lock → session → browser, as its top cluster", async () => {
    const report = await leaksOf('legacy');
    const top = report.clusters[0]!;
    expect(report.poolRoots).toContain('LegacyBrowserService');
    expect(top.path.join(' | ')).toMatch(ORPHAN_LOCK);
    expect(top.largest.slice(top.path.length)).toEqual(['session → Object', 'browser → SimBrowser']);
    // The browser holds its sim memory: 1/1000 of 300 MB.
    expect(top.largestBytes).toBeGreaterThan(290_000);
    expect(top.retainedBytes).toBeGreaterThanOrEqual(top.largestBytes);
  });

  it('finds nothing held by the fixed pool after close', async () => {
    const report = await leaksOf('fixed');
    expect(report.poolRoots).toContain('FixedBrowserPool');
    expect(report.clusters).toEqual([]);
    expect(report.leakedObjects).toBe(0);
  });

  // exception-mid-work: the legacy pool's last sweeps, as its jobs drain, delete the orphan locks
  // before close, but not their browsers: the chain is the one the pool held at the target.
  it("names the legacy pool's orphan lock on exception-mid-work: its chain at the target to a browser the closed pool let go of alive", async () => {
    const report = await leaksOf('legacy', 'exception-mid-work');
    const top = report.clusters[0]!;
    expect(top.heldAt).toBe('target');
    expect(top.path.slice(0, -2).join(' | ')).toMatch(ORPHAN_LOCK);
    expect(top.path.slice(-2)).toEqual(['session → Object', 'browser → SimBrowser']);
    // Several orphans, each browser with its sim memory (1/1000 of 300 MB).
    expect(top.count).toBeGreaterThan(1);
    expect(top.retainedBytes).toBeGreaterThan(top.count * 290_000);
  });

  it('finds nothing held or let go of alive by the fixed pool on exception-mid-work', async () => {
    const report = await leaksOf('fixed', 'exception-mid-work');
    expect(report.poolRoots).toContain('FixedBrowserPool');
    expect(report.clusters).toEqual([]);
  });

  it('says which snapshot is missing (exit 2)', async () => {
    const result = await tally(['leaks', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no baseline heap snapshot .*run with --heap-snapshots/);
  });
});
