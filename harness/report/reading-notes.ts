import { formatNumber } from './format.ts';
import type { RunReport } from './report-json.ts';

/**
 * Lines that tell a reader where to look and where a figure misleads: the run's trace, the jobs a
 * run ended without, a memory slope fitted through crashes. report.md and report.html both show them.
 */
export function readingNotes(report: RunReport): string[] {
  return [traceNote(report), unsettledNote(report), sawtoothNote(report)].filter((note): note is string => note !== undefined);
}

function traceNote({ trace }: RunReport): string | undefined {
  if (trace === undefined) return undefined;
  if (trace.jaegerUrl !== undefined)
    return `Trace ${trace.traceId}: sent to ${trace.sentTo ?? 'the collector'}; in Jaeger at ${trace.jaegerUrl}.`;
  return `Trace ${trace.traceId}: in ${trace.file ?? 'the run folder'} (send it to a collector with tally export-traces on this folder).`;
}

function unsettledNote(report: RunReport): string | undefined {
  const { unsettledJobs } = report.figures;
  if (unsettledJobs.count === 0) return undefined;
  const more =
    unsettledJobs.count > unsettledJobs.sessions.length ? `, and ${unsettledJobs.count - unsettledJobs.sessions.length} more` : '';
  return `${unsettledJobs.count} job${unsettledJobs.count === 1 ? '' : 's'} never settled (started, never ended; the run ended: ${report.endReason}): ${unsettledJobs.sessions.join(', ')}${more}.`;
}

/** A crash frees a whole browser at once: a line fitted through the sawtooth says little about growth between them. */
function sawtoothNote(report: RunReport): string | undefined {
  const f = report.figures;
  const crashes = f.faultEntries.filter((entry) => entry.fault === 'crash').reduce((sum, entry) => sum + entry.struck, 0);
  if (f.memoryGrowthMBPerHour === null || crashes < 2) return undefined;
  return (
    `Memory is fitted over ${f.memorySamples} samples through ${crashes} browser crashes, each of which frees a browser's memory at once: ` +
    `the slope (${formatNumber(f.memoryGrowthMBPerHour)} MB/h) runs through a sawtooth and can hide growth between crashes. ` +
    `Read it with the peak (${formatNumber(f.peakMemoryMB)} MB) and the memory chart${f.heapSamples > 1 ? `, and the heap slope (${formatNumber(f.heapGrowthMBPerHour)} MB/h) for what the pool's process keeps` : ''}.`
  );
}
