import { formatNumber, formatRate, formatVirtualTime } from './format.ts';
import type { RunReport } from './report-json.ts';

/** The story's figures as `[figure, value]` rows, worded once for report.md and report.html. */
export function figureRows(report: RunReport): [string, string][] {
  const f = report.figures;
  const at = (ms: number | null): string => (ms === null ? '' : ` (at ${formatVirtualTime(ms)})`);
  return [
    [
      'counter mismatches / 30 min',
      `${formatRate(f.counterMismatchesPer30Min)} (${f.counterMismatches} in total${f.firstCounterMismatchMs === null ? '' : `, first at ${formatVirtualTime(f.firstCounterMismatchMs)}`})`,
    ],
    ['lock sweeps / 30 min', `${formatRate(f.lockSweepsPer30Min)} (${f.lockSweeps} sweeps removed ${f.orphanLocksSwept} orphan locks)`],
    ['memory growth MB/h', `${formatRate(f.memoryGrowthMBPerHour)} (fitted on ${f.memorySamples} samples)`],
    ['peak memory MB', formatNumber(f.peakMemoryMB)],
    [
      'heap growth MB/h (measured)',
      `${formatRate(f.heapGrowthMBPerHour)} (used heap after GC, ${f.heapSamples} samples${report.driver === 'sim' ? '; the sim holds 1/1000 of what it accounts' : ''}), peak ${formatNumber(f.peakHeapMB)} MB`,
    ],
    ...leakRows(f),
    ['peak browsers', String(f.peakBrowsers)],
    ['peak closes / s', `${f.peakClosesPerSecond}${at(f.peakClosesAtMs)}`],
    ['peak watchdogs / s', `${f.peakWatchdogsPerSecond}${at(f.peakWatchdogsAtMs)}`],
    [
      'jobs ok / failed',
      `${f.jobs.ok} / ${f.jobs.failed} (${f.jobs.started} started${f.jobs.interrupted ? `, ${f.jobs.interrupted} interrupted` : ''})`,
    ],
  ];
}

/** The leak analysis's figure, and what the heap evidence lacks and why: only for runs that took snapshots. */
function leakRows(f: RunReport['figures']): [string, string][] {
  const rows: [string, string][] = [];
  if (f.leakedObjects !== null && f.leakedObjects !== undefined)
    rows.push([
      'leaked objects (heap snapshots)',
      `${f.leakedObjects} held by the closed pool or let go of alive${f.leakTop ? `; top cluster ${f.leakTop}` : ''}`,
    ]);
  // Reports written before the fields existed have none.
  for (const line of f.pageLeaks ?? []) rows.push(['page heaps', line]);
  for (const missing of f.heapMissing ?? []) rows.push(['heap evidence missing', missing]);
  return rows;
}
