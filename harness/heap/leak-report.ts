import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { findPoolLeaks, type LeakAnalysis } from './find-leaks.ts';
import { type PageLeaks, pageLeakLines } from './page-leaks.ts';
import { HEAP_POINTS, snapshotFileName } from './take-snapshot.ts';

export const LEAK_SCHEMA = 'tally.leaks/1';

export interface LeakReport extends LeakAnalysis {
  schema: typeof LEAK_SCHEMA;
  /** The browser pages' own heaps (Chromium), when the run took them. */
  pageLeaks?: PageLeaks;
}

/** The three snapshots of a run folder, or bad input naming the one that is missing. */
export function snapshotsOf(runDir: string): { baseline: string; target: string; final: string } {
  const files = Object.fromEntries(HEAP_POINTS.map((point) => [point, join(runDir, snapshotFileName(point))]));
  for (const [point, file] of Object.entries(files)) {
    if (!existsSync(file))
      throw new InputError(
        `${runDir}: no ${point} heap snapshot (${snapshotFileName(point as never)}); run with --heap-snapshots --keep-snapshots`,
      );
  }
  return files as { baseline: string; target: string; final: string };
}

/** Analyses a run folder's snapshots and writes leaks.json and leaks.md beside them. */
export async function writeLeakReport(runDir: string, pageLeaks?: PageLeaks): Promise<LeakReport> {
  const report: LeakReport = { schema: LEAK_SCHEMA, ...(await findPoolLeaks(snapshotsOf(runDir))), ...(pageLeaks ? { pageLeaks } : {}) };
  writeFileSync(join(runDir, 'leaks.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(runDir, 'leaks.md'), renderLeaksMarkdown(report));
  return report;
}

export function renderLeaksMarkdown(report: LeakReport): string {
  const lines = [
    '# Leaks of the pool under test',
    '',
    `Objects allocated between the baseline and the target snapshot, still alive in the final one (pool closed), held by the pool (${report.poolRoots.join(', ') || 'no pool found'}) or live browsers it let go of, not by the harness: **${report.leakedObjects}** objects retaining **${kb(report.leakedBytes)}** (analysis ${report.ms} ms).`,
    '',
  ];
  if (report.clusters.length === 0) lines.push('No leak cluster.', '');
  report.clusters.slice(0, 20).forEach((cluster, i) => {
    lines.push(
      `## ${i + 1}. ${cluster.count} × ${cluster.path.at(-1)} — ${kb(cluster.retainedBytes)} retained, ${cluster.objects} objects`,
      '',
      ...(cluster.heldAt === 'target'
        ? [
            'Held by the pool along this path at the target snapshot; the closed pool let go of them without closing them, and the driver still lists them as live browsers.',
            '',
          ]
        : []),
      '```',
      ...cluster.path.map((step, depth) => `${'  '.repeat(depth)}${step}`),
      ...cluster.largest
        .slice(cluster.path.length)
        .map((step, depth) => `${'  '.repeat(cluster.path.length + depth)}${step}   (largest: ${kb(cluster.largestBytes)})`),
      '```',
      '',
    );
  });
  if (report.pageLeaks) lines.push('# Leaks of the browser pages', '', ...pageLeakLines(report.pageLeaks).map((line) => `- ${line}`), '');
  return `${lines.join('\n')}\n`;
}

export function leakSummaryLine(report: LeakReport): string {
  const top = topClusterLine(report);
  if (top === undefined) return `leaks: none held by the pool (${report.ms} ms)`;
  return `leaks: ${report.leakedObjects} objects, ${kb(report.leakedBytes)} held by the pool in ${report.clusters.length} clusters; top: ${top}`;
}

/** `23 × LegacyBrowserService → #locks → SessionLockRegistry → … → browser → SimBrowser`: the top cluster and the largest object it holds. */
export function topClusterLine(report: LeakAnalysis): string | undefined {
  const top = report.clusters[0];
  if (!top) return undefined;
  return `${top.count} × ${top.path.join(' → ')}${top.largest.length > top.path.length ? ` → ${top.largest.slice(top.path.length).join(' → ')}` : ''}`;
}

/** Bytes as KB or MB, one decimal. */
export function kb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} KB`;
}
