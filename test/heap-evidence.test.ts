// Heap snapshots are large and can fail: a disk without room refuses them in one line, and a snapshot
// or an analysis that fails costs the run its leak report only, never its report, which says what
// is missing and why.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import type { AnyEvent } from '../harness/history/events.ts';
import type { RunObserver } from '../harness/observer/run-observer.ts';
import { tally, tempDir } from './helpers.ts';

// Five scenario minutes of exception-mid-work, its snapshots at 1:30 and 4:00.
const SHORT = ['durationMs=300000', 'heap.at=[90000,240000]'];

function readReport(out: string) {
  return { json: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), md: readFileSync(join(out, 'report.md'), 'utf8') };
}

/** The legacy pool's short run with snapshots, `observer` following it. */
async function runWatched(out: string, observer: RunObserver) {
  const { report } = await executeRun({
    scenario: 'exception-mid-work',
    pool: 'legacy',
    out,
    overrides: SHORT,
    heapSnapshots: true,
    observers: [observer],
  });
  return report;
}

/** Does something to the run folder once the baseline snapshot is recorded, as a disk or a person could. */
function afterBaseline(act: () => void): RunObserver {
  return {
    event: (event: AnyEvent) => {
      if (event.kind === 'heap.snapshot' && event.data.point === 'baseline' && event.data.file) act();
    },
  };
}

describe('heap evidence', { timeout: 180_000 }, () => {
  it('refuses every snapshot when the disk would keep less free than heap.keepFreeMB; a leak budget then cannot pass (exit 2)', async () => {
    const out = tempDir();
    // More free space than any disk here has: the refusal comes from the real statfs of the run folder.
    const sets = [...SHORT, 'heap.keepFreeMB=100000000', 'budgets.leakedObjects=0'].flatMap((s) => ['--set', s]);
    const result = await tally(['run', 'exception-mid-work', '--pool', 'fixed', '--out', out, '--quiet', ...sets]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      new RegExp(
        `heap: baseline heap snapshot not taken: disk short: \\d+ MB free in ${out}, a snapshot needs about \\d+ MB and 100000000 MB must stay free \\(heap.keepFreeMB\\)`,
      ),
    );
    const { json, md } = readReport(out);
    expect(json.verdict.why).toMatch(/the leakedObjects budget could not be judged: baseline heap snapshot not taken: disk short/);
    expect(json.figures.heapMissing).toHaveLength(4);
    expect(json.figures.heapMissing.at(-1)).toMatch(/^no leak analysis: a snapshot is missing \(baseline not taken: disk short/);
    expect(md).toMatch(/heap evidence missing\s+\| final heap snapshot not taken: disk short/);
    expect(readdirSync(out).filter((file) => file.endsWith('.heapsnapshot') || file.startsWith('leaks'))).toEqual([]);
  });

  it('keeps the report when a snapshot cannot be written, and says which one and why', async () => {
    const out = tempDir();
    // A folder where the target snapshot's file goes: V8's write of it fails for real.
    const blocker = afterBaseline(() => mkdirSync(join(out, 'heap-target.heapsnapshot')));
    const report = await runWatched(out, blocker);
    expect(report.verdict.verdict).toBe('fail');
    expect(report.figures.heapMissing[0]).toMatch(/^target heap snapshot failed: .*heap-target\.heapsnapshot/);
    expect(report.figures.heapMissing[1]).toMatch(/^no leak analysis: a snapshot is missing \(target failed: /);
    expect(report.figures.leakedObjects).toBeNull();
    expect(readReport(out).md).toMatch(/heap evidence missing\s+\| target heap snapshot failed/);
    expect(existsSync(join(out, 'leaks.json'))).toBe(false);
  });

  it('keeps the report when the analysis fails, says why, and keeps the snapshots for tally leaks', async () => {
    const out = tempDir();
    // The baseline overwritten with what is not a heap snapshot: memlab's parse of it fails for real.
    const spoiler = afterBaseline(() => writeFileSync(join(out, 'heap-baseline.heapsnapshot'), '{"snapshot":'));
    const report = await runWatched(out, spoiler);
    expect(report.verdict.verdict).toBe('fail');
    expect(report.figures.heapMissing).toEqual([
      expect.stringMatching(/^no leak analysis: the analysis failed: .*\(the snapshots are kept\)$/),
    ]);
    expect(report.figures.leakedObjects).toBeNull();
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(out, 'leaks.json'))).toBe(false);
    expect(existsSync(join(out, 'heap-final.heapsnapshot'))).toBe(true);
  });
});
