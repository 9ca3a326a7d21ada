/**
 * `npm run bench:leaks`: what the leak analysis costs on a heap of ~100 MB. Three snapshots of a
 * process that holds a pool leaking per-job objects into a module-level map, then Tally's analysis
 * (findPoolLeaks) and memlab's own findLeaks (findLeaksBySnapshotFilePaths, what `memlab find-leaks
 * --baseline --target --final` runs) on the same files, each in a process of its own so that its
 * peak RSS is its own; then what `--heap-snapshots` adds to a run's wall time. Last line: one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLeaksBySnapshotFilePaths } from '@memlab/api';
import { errorMessage } from '../errors.ts';
import { findPoolLeaks } from '../heap/find-leaks.ts';
import { HeapSnapshots } from '../heap/heap-snapshots.ts';
import { HEAP_POINTS, snapshotFileName } from '../heap/take-snapshot.ts';
import { benchFailureLine } from './bench-failure.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const [mode, dir] = process.argv.slice(2);

/** Filler the harness holds (not the pool): what makes the heap ~100 MB. */
const FILLER_OBJECTS = 900_000;
const LEAKED_JOBS = 2_000;

function files(folder: string) {
  return Object.fromEntries(HEAP_POINTS.map((point) => [point, join(folder, snapshotFileName(point))])) as Record<
    (typeof HEAP_POINTS)[number],
    string
  >;
}

const resultsByJob = new Map<number, { job: number; copy: string[] }>();

function takeSnapshots(folder: string): Record<string, unknown> {
  const filler: { i: number; s: string }[] = [];
  for (let i = 0; i < FILLER_OBJECTS; i++) filler.push({ i, s: `filler-${i}` });
  (globalThis as { benchFiller?: unknown }).benchFiller = filler;
  const pool = { run: (job: number) => resultsByJob.set(job, { job, copy: [`job-${job}`, `page-${job}`] }) };
  const heap = new HeapSnapshots({ baselineMs: 0, targetMs: 1, dir: folder, limits: { maxSnapshotMB: 4096, keepFreeMB: 512 } }, () => {});
  heap.hold(pool, function createPool() {
    return resultsByJob;
  });
  const start = performance.now();
  heap.atSettled(0);
  for (let job = 0; job < LEAKED_JOBS; job++) pool.run(job);
  heap.atSettled(1);
  heap.final();
  return {
    takeMs: Math.round(performance.now() - start),
    heapUsedMB: Math.round(heap.taken[0]!.heapUsedMB),
    snapshotMB: heap.taken.map((taken) => Math.round(taken.sizeMB)),
  };
}

async function child(): Promise<void> {
  const start = performance.now();
  let found: Record<string, unknown>;
  if (mode === 'take') found = takeSnapshots(dir!);
  else if (mode === 'tally') {
    const report = await findPoolLeaks(files(dir!));
    found = { leakedObjects: report.leakedObjects, clusters: report.clusters.length };
  } else {
    const f = files(dir!);
    const traces = await findLeaksBySnapshotFilePaths(f.baseline, f.target, f.final, {
      workDir: join(dir!, 'memlab'),
      consoleMode: 'SILENT' as never,
    });
    found = { leakTraces: traces.length };
  }
  const ms = Math.round(performance.now() - start);
  console.log(JSON.stringify({ ...found, ms, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

function inChild(args: string[]): Record<string, unknown> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !last.startsWith('{'))
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(last);
}

function runWallMs(extra: string[], out: string): number {
  const start = performance.now();
  const result = spawnSync(
    process.execPath,
    ['bin/tally.js', 'run', 'watchdog-timeout', '--pool', 'fixed', '--quiet', '--out', out, ...extra],
    { cwd: ROOT },
  );
  if (result.status !== 0) throw new Error(`tally run ${extra.join(' ')} exited ${result.status}`);
  return Math.round(performance.now() - start);
}

async function parent(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'tally-bench-leaks-'));
  const measured: Record<string, unknown> = {};
  try {
    const self = join('harness', 'bench', 'leaks-bench.ts');
    measured.take = inChild([self, 'take', folder]);
    measured.tally = inChild([self, 'tally', folder]);
    measured.memlab = inChild([self, 'memlab', folder]);
    const tallyMs = (measured.tally as { ms: number }).ms;
    const memlabMs = (measured.memlab as { ms: number }).ms;
    measured.ratio = Math.round((tallyMs / memlabMs) * 100) / 100;
    measured.goal = 'ratio <= 1.5';
    const without = runWallMs([], join(folder, 'run-a'));
    const withSnapshots = runWallMs(['--heap-snapshots'], join(folder, 'run-b'));
    measured.runWallMs = { without, withSnapshots, added: withSnapshots - without, scenario: 'watchdog-timeout, fixed pool, sim' };
    console.log(JSON.stringify({ bench: 'leaks', ...measured }));
  } catch (error) {
    console.log(benchFailureLine('leaks', { at: 'bench' }, error, measured));
    process.exitCode = 1;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (mode)
  await child().catch((error: unknown) => {
    console.error(errorMessage(error));
    process.exitCode = 1;
  });
else await parent();
