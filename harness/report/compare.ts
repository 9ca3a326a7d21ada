import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { INVARIANT_NAMES } from '../checkers/violation.ts';
import { formatRate } from './format.ts';
import type { RunReport } from './report-json.ts';
import { parseReport } from './report-json.ts';

/**
 * The before/after table of `tally compare runA runB`, for a monospace terminal: the story's
 * figures side by side, as the post-mortem measured them (counter mismatches 47 -> 0 per 30 min...).
 */
export function compareReports(before: RunReport, after: RunReport): string {
  const [beforeLabel, afterLabel] = labels(before, after);
  const row = (metric: string, pick: (r: RunReport) => string): string[] => [metric, pick(before), pick(after)];
  const rows: string[][] = [
    row('verdict', (r) => r.verdict.verdict),
    row('end reason', (r) => r.endReason),
    row('violations total', (r) => String(r.violationsTotal)),
    ...INVARIANT_NAMES.map((name) => row(`  ${name}`, (r) => String(r.invariants[name] ?? 0))),
    row('counter mismatches / 30 min', (r) => formatRate(r.figures.counterMismatchesPer30Min)),
    row('lock sweeps / 30 min', (r) => formatRate(r.figures.lockSweepsPer30Min)),
    row('memory growth MB/h', (r) => formatRate(r.figures.memoryGrowthMBPerHour)),
    row('peak closes / s', (r) => String(r.figures.peakClosesPerSecond)),
    row('peak watchdogs / s', (r) => String(r.figures.peakWatchdogsPerSecond)),
    row('peak browsers', (r) => String(r.figures.peakBrowsers)),
    row('jobs ok / failed', (r) => `${r.figures.jobs.ok} / ${r.figures.jobs.failed}`),
  ];
  return `${alignColumns(['metric', beforeLabel, afterLabel], rows).join('\n')}\n`;
}

/** `pool@scenario`; when both runs share it (e.g. two seeds), the seed or the side tells them apart. */
function labels(before: RunReport, after: RunReport): [string, string] {
  const label = (r: RunReport): string => `${r.pool}@${r.scenario.name}`;
  const [a, b] = [label(before), label(after)];
  if (a !== b) return [a, b];
  if (before.seed !== after.seed) return [`${a} seed ${before.seed}`, `${b} seed ${after.seed}`];
  return [`${a} (before)`, `${b} (after)`];
}

/** Metric column left-aligned, value columns right-aligned so numbers line up by their last digit. */
function alignColumns(headers: string[], rows: string[][]): string[] {
  const all = [headers, ...rows];
  const widths = headers.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

/** Reads a run's report from its folder (`<dir>/report.json`) or from the report file itself. */
export function loadRunReport(dirOrFile: string): RunReport {
  const path = existsSync(dirOrFile) && statSync(dirOrFile).isDirectory() ? join(dirOrFile, 'report.json') : dirOrFile;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file (is this a Tally run folder?)' : (error as Error).message;
    throw new Error(`cannot read Tally report ${path}: ${reason}`);
  }
  return parseReport(text, path);
}
