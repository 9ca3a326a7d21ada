import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LEAK_SCHEMA, type LeakReport } from '../../heap/leak-report.ts';
import { streamHistory } from '../../history/read-history.ts';
import { loadRunReport } from '../compare.ts';
import type { RunReport } from '../report-json.ts';
import type { PageRun } from './page.ts';
import { renderRunPage } from './page.ts';
import { type RunSeries, seriesFold } from './series.ts';

/** A run folder's report.html, from its report, its history and its leaks.json when the run has one. */
export async function writeReportHtml(runDir: string, report: RunReport): Promise<string> {
  const path = join(runDir, 'report.html');
  writeFileSync(path, renderRunPage(await pageRunOf(runDir, report)));
  return path;
}

/** Writes report.html again from what the folder holds now: after `tally leaks` added leaks.json, the page shows the clusters. */
export function rewriteReportHtml(runDir: string): Promise<string> {
  return writeReportHtml(runDir, loadRunReport(runDir));
}

/** What a page shows of a run, read from its folder (or from its report.json, beside the history). */
export function loadPageRun(dirOrReport: string): Promise<PageRun> {
  const runDir = existsSync(dirOrReport) && statSync(dirOrReport).isDirectory() ? dirOrReport : dirname(dirOrReport);
  return pageRunOf(runDir, loadRunReport(dirOrReport));
}

async function pageRunOf(runDir: string, report: RunReport): Promise<PageRun> {
  const historyPath = join(runDir, 'history.ndjson');
  if (!existsSync(historyPath)) throw new Error(`${runDir}: no history.ndjson beside report.json: the charts are drawn from it`);
  return { report, series: await seriesOfFile(historyPath), leaks: readLeaks(join(runDir, 'leaks.json')) };
}

/**
 * Streamed: a soak's history can be larger than the memory it is worth. A cut last line (a killed
 * run) is left out: the page draws what was recorded, and the report says how the run ended.
 */
async function seriesOfFile(path: string): Promise<RunSeries> {
  const fold = seriesFold();
  for await (const event of streamHistory(path, { onCutLine: () => {} })) fold.step(event);
  return fold.result();
}

function readLeaks(path: string): LeakReport | undefined {
  if (!existsSync(path)) return undefined;
  let value: { schema?: unknown };
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (value?.schema !== LEAK_SCHEMA) throw new Error(`${path} is not a Tally leak report (expected schema '${LEAK_SCHEMA}')`);
  return value as LeakReport;
}
