import { accessSync, constants, existsSync, mkdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { errorMessage, InputError } from '../errors.ts';
import { HEAP_POINTS, snapshotFileName } from '../heap/take-snapshot.ts';
import { writeReportHtml } from '../report/html/run-page-files.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { buildReport, type RunReport } from '../report/report-json.ts';
import type { Scenario } from '../scenario/schema.ts';
import { readTraceRecord, TRACE_RECORD_FILE } from '../telemetry/traces/trace-record.ts';
import type { RunResult } from './run-scenario.ts';

export const RUN_FILES = [
  'history.ndjson',
  'report.json',
  'report.md',
  'report.html',
  'scenario.json',
  'traces.otlp.json',
  TRACE_RECORD_FILE,
  ...HEAP_POINTS.map(snapshotFileName),
  'leaks.json',
  'leaks.md',
];

/** Kernel file systems: files there are the kernel's interface, never a place for a run's artefacts. */
const KERNEL_FOLDERS = ['/proc', '/sys'];

/** The files whose presence says a folder holds a run: its evidence and its verdict. */
const RUN_EVIDENCE = ['history.ndjson', 'report.json'];

/** The link in a series of runs that names its newest run. */
export const LATEST = 'latest';

/**
 * Makes the run's folder ready before anything runs, or says in one line why it cannot be: a
 * folder under /proc or /sys (where Node's recursive mkdir never returns), a path through a file,
 * a folder this process cannot write, a folder that holds an earlier run (unless `force`: a run's
 * evidence is never replaced silently). Only this run's own artefacts are removed: `--out` may
 * name a folder that holds other things.
 */
export function prepareRunFolder(outDir: string, options: { force?: boolean } = {}): void {
  makeFolder(outDir);
  if (!options.force) refuseEarlierRun(outDir);
  try {
    for (const file of RUN_FILES) rmSync(join(outDir, file), { force: true });
  } catch (error) {
    throw new InputError(`--out ${outDir}: cannot write the run's folder there: ${errorMessage(error)}`);
  }
}

/** One line, before anything runs, when `outDir` already holds a run's history or report. */
export function refuseEarlierRun(outDir: string): void {
  const held = RUN_EVIDENCE.find((file) => existsSync(join(outDir, file)));
  if (held) throw new InputError(`--out ${outDir}: holds an earlier run (${held}); give another folder, or --force to replace it`);
}

/**
 * A new folder for one run in `series` (the default `reports/runs/<scenario>/<pool>…`), named by
 * when it starts (`2026-12-03T08-41-18Z`, `-2`, `-3`… when several start in one second), and
 * `series/latest` pointed at it at once, so that the newest run is found there, finished or not.
 */
export function newRunFolder(series: string, now = new Date()): string {
  makeFolder(series);
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  for (let n = 1; ; n++) {
    const name = n === 1 ? stamp : `${stamp}-${n}`;
    try {
      // Not recursive: the folder that this call makes is this run's, even when another run starts in the same second.
      mkdirSync(join(series, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new InputError(`${series}: cannot make the run's folder there: ${errorMessage(error)}`);
    }
    pointLatest(series, name);
    return join(series, name);
  }
}

/** Swaps `series/latest` to `name` in one rename, so a reader never finds it missing or half-made. */
function pointLatest(series: string, name: string): void {
  const staged = join(series, `.${LATEST}-${process.pid}`);
  rmSync(staged, { force: true });
  symlinkSync(name, staged);
  renameSync(staged, join(series, LATEST));
}

function makeFolder(outDir: string): void {
  const where = realpathOfNearest(resolve(outDir));
  if (KERNEL_FOLDERS.some((folder) => where === folder || where.startsWith(`${folder}/`)))
    throw new InputError(`--out ${outDir}: ${where} is in a kernel file system (/proc, /sys), not a place for a run's files`);
  try {
    mkdirSync(outDir, { recursive: true });
    accessSync(outDir, constants.W_OK);
  } catch (error) {
    throw new InputError(`--out ${outDir}: cannot write the run's folder there: ${errorMessage(error)}`);
  }
}

/** The real path of `path`, through the nearest ancestor that exists (symbolic links such as /dev/fd lead into /proc). */
function realpathOfNearest(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = realpathSync(existing);
  return existing === path ? real : join(real, path.slice(existing.length));
}

/** Writes the run's folder: the resolved scenario, report.json, report.md and report.html beside history.ndjson. */
export async function writeRunFolder(
  outDir: string,
  run: {
    scenario: Scenario;
    scenarioPath: string;
    pool: string;
    driver: string;
    seed: number;
    overrides: readonly string[];
    startedAt: Date;
  },
  result: RunResult,
): Promise<RunReport> {
  const report = buildReport({
    scenario: run.scenario,
    scenarioPath: run.scenarioPath,
    pool: run.pool,
    driver: run.driver,
    seed: run.seed,
    overrides: run.overrides,
    endReason: result.endReason,
    ...(result.error === undefined ? {} : { error: result.error }),
    violationCounts: result.counts,
    violations: result.violations,
    figures: result.figures,
    expects: result.expects,
    ...(result.unchecked === undefined ? {} : { unchecked: result.unchecked }),
    lastEvent: result.lastEvent,
    trace: readTraceRecord(outDir),
    startedAt: run.startedAt,
    files: RUN_FILES,
  });
  writeFileSync(join(outDir, 'scenario.json'), `${JSON.stringify(run.scenario, null, 2)}\n`);
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'report.md'), renderMarkdown(report));
  await writeReportHtml(outDir, report);
  return report;
}
