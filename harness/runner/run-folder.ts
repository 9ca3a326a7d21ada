import { accessSync, constants, existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { errorMessage, InputError } from '../errors.ts';
import { HEAP_POINTS, snapshotFileName } from '../heap/take-snapshot.ts';
import { writeReportHtml } from '../report/html/run-page-files.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { buildReport, type RunReport } from '../report/report-json.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { RunResult } from './run-scenario.ts';

export const RUN_FILES = [
  'history.ndjson',
  'report.json',
  'report.md',
  'report.html',
  'scenario.json',
  'traces.otlp.json',
  ...HEAP_POINTS.map(snapshotFileName),
  'leaks.json',
  'leaks.md',
];

/** Kernel file systems: files there are the kernel's interface, never a place for a run's artefacts. */
const KERNEL_FOLDERS = ['/proc', '/sys'];

/**
 * Makes the run's folder ready before anything runs, or says in one line why it cannot be: a
 * folder under /proc or /sys (where Node's recursive mkdir never returns), a path through a file,
 * a folder this process cannot write. Only this run's own artefacts are removed: `--out` may name
 * a folder that holds other things.
 */
export function prepareRunFolder(outDir: string): void {
  const where = realpathOfNearest(resolve(outDir));
  if (KERNEL_FOLDERS.some((folder) => where === folder || where.startsWith(`${folder}/`)))
    throw new InputError(`--out ${outDir}: ${where} is in a kernel file system (/proc, /sys), not a place for a run's files`);
  try {
    mkdirSync(outDir, { recursive: true });
    accessSync(outDir, constants.W_OK);
    for (const file of RUN_FILES) rmSync(join(outDir, file), { force: true });
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
    lastEvent: result.lastEvent,
    startedAt: run.startedAt,
    files: RUN_FILES,
  });
  writeFileSync(join(outDir, 'scenario.json'), `${JSON.stringify(run.scenario, null, 2)}\n`);
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'report.md'), renderMarkdown(report));
  await writeReportHtml(outDir, report);
  return report;
}
