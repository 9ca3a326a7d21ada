// Leak reports from the run's heap snapshots (memlab parses them): the legacy pool's orphan lock
// holds a browser; the fixed pool holds nothing after close.
import { describe, expect, it } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import { writeLeakReport } from '../harness/heap/leak-report.ts';
import { tally, tempDir } from './helpers.ts';

async function leaksOf(pool: string) {
  const out = tempDir();
  await executeRun({ scenario: 'watchdog-timeout', pool, out, heapSnapshots: true });
  return writeLeakReport(out);
}

describe('leak report', () => {
  it("names the legacy pool's orphan lock: lock registry → lock → session → browser, as its top cluster", async () => {
    const report = await leaksOf('legacy');
    const top = report.clusters[0]!;
    expect(report.poolRoots).toContain('LegacyBrowserService');
    expect(top.path.join(' | ')).toMatch(/^LegacyBrowserService \| #locks → SessionLockRegistry \| #locks → Map .*\[i\] → Object$/);
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

  it('says which snapshot is missing (exit 2)', async () => {
    const result = await tally(['leaks', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no baseline heap snapshot .*run with --heap-snapshots/);
  });
});
