import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAP_POINTS, snapshotFileName } from '../heap/take-snapshot.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { buildReport, type RunReport } from '../report/report-json.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { RunResult } from './run-scenario.ts';

export const RUN_FILES = [
  'history.ndjson',
  'report.json',
  'report.md',
  'scenario.json',
  'traces.otlp.json',
  ...HEAP_POINTS.map(snapshotFileName),
  'leaks.json',
  'leaks.md',
];

/** Writes the run's folder: the resolved scenario, report.json and report.md beside history.ndjson. */
export function writeRunFolder(
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
): RunReport {
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
  return report;
}
