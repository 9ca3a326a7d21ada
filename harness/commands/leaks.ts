import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { leakSummaryLine, writeLeakReport } from '../heap/leak-report.ts';
import { rewriteReportHtml } from '../report/html/run-page-files.ts';

/** `tally leaks <run-folder>`: analyse its heap snapshots, write leaks.json and leaks.md. Exit 1 when the pool leaked. */
export async function leaksCommand(args: string[]): Promise<number> {
  if (args.length !== 1) throw new InputError('leaks: which run? e.g. tally leaks reports/runs/watchdog-timeout/legacy-seed1/latest');
  const report = await writeLeakReport(args[0]!);
  console.log(leakSummaryLine(report));
  console.log(`  ${args[0]}/leaks.md`);
  // The run's page shows the clusters too, when the folder has the run's report to draw it from.
  if (existsSync(join(args[0]!, 'report.json'))) console.log(`  ${await rewriteReportHtml(args[0]!)}`);
  return report.clusters.length > 0 ? 1 : 0;
}
