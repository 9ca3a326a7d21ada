import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareReports } from '../report/compare.ts';
import { formatRate } from '../report/format.ts';
import { type DemoRow, renderDemoPage } from '../report/html/page.ts';
import type { RunReport } from '../report/report-json.ts';
import { onInterrupt } from '../runner/interrupt.ts';
import { executeRun } from './execute-run.ts';

/** The story's scenarios, each run before (legacy) and after (fixed) the fix. */
export const DEMO_SCENARIOS = [
  'watchdog-timeout',
  'browser-crash',
  'network-stall',
  'exception-mid-work',
  'bad-pages',
  'page-crash',
  'launch-fail',
  'watchdog-storm',
  'soak',
];

/**
 * `tally demo`: the before/after of the story. Every scenario runs against the legacy pool (which
 * must fail) and the fixed pool (which must pass); the storm also runs with jitter off. Exit 0 when
 * every outcome is the expected one.
 */
export async function demoCommand(args: { out: string; seed: number | undefined }): Promise<number> {
  const interrupt = onInterrupt();
  const rows: string[] = [];
  const details: string[] = [];
  const pageRows: DemoRow[] = [];
  let expected = true;
  try {
    for (const scenario of DEMO_SCENARIOS) {
      const runs: Record<string, RunReport> = {};
      for (const pool of ['legacy', 'fixed']) {
        if (interrupt.signal.aborted) break;
        process.stderr.write(`running ${scenario} with the ${pool} pool...\n`);
        const { report } = await executeRun({
          scenario,
          pool,
          out: join(args.out, scenario, pool),
          // The demo is made again in full each time: its folders are its own, never another run's.
          force: true,
          signal: interrupt.signal,
          ...(args.seed === undefined ? {} : { seed: args.seed }),
        });
        runs[pool] = report;
      }
      const { legacy, fixed } = runs;
      if (!legacy || !fixed) break;
      const ok = legacy.verdict.code === 1 && fixed.verdict.code === 0;
      expected &&= ok;
      rows.push(summaryRow(scenario, legacy, fixed, ok));
      pageRows.push({
        scenario,
        runs: [
          { label: 'legacy', href: `${scenario}/legacy/report.html`, report: legacy },
          { label: 'fixed', href: `${scenario}/fixed/report.html`, report: fixed },
        ],
        asExpected: ok,
      });
      details.push(`## ${scenario}\n\n\`\`\`\n${compareReports(legacy, fixed)}\`\`\`\n`);
    }
    if (!interrupt.signal.aborted) {
      process.stderr.write('running watchdog-storm with the fixed pool, jitter off...\n');
      const { report } = await executeRun({
        scenario: 'watchdog-storm',
        pool: 'fixed',
        overrides: ['pool.jitterMs=0'],
        out: join(args.out, 'watchdog-storm', 'fixed-no-jitter'),
        force: true,
        signal: interrupt.signal,
      });
      const stormRow = pageRows.find((row) => row.scenario === 'watchdog-storm');
      stormRow?.runs.push({ label: 'fixed, jitter off (must fail)', href: 'watchdog-storm/fixed-no-jitter/report.html', report });
      details.push(
        `watchdog-storm, fixed pool: peak closes/s ${report.figures.peakClosesPerSecond} with jitter off (verdict ${report.verdict.verdict}), see the jitter-on row above.\n`,
      );
      expected &&= report.verdict.code === 1;
    }
  } finally {
    interrupt.dispose();
  }
  const table = [
    '| scenario | legacy | fixed | mismatches/30min | lock sweeps/30min | memory MB/h | peak watchdogs/s | peak closes/s | as expected |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  const summary = `# Tally demo: the story's pool before and after the fix\n\n${table}\n\nBefore -> after in each cell.\n\n${details.join('\n')}`;
  writeFileSync(join(args.out, 'summary.md'), summary);
  writeFileSync(join(args.out, 'summary.html'), renderDemoPage(pageRows));
  console.log(table);
  console.log(`\n${details[0] ?? ''}`);
  console.log(
    `full summary: ${join(args.out, 'summary.md')} and ${join(args.out, 'summary.html')}; every run's report.md and report.html are under ${args.out}/`,
  );
  if (interrupt.signal.aborted) return 2;
  console.log(expected ? 'every scenario: legacy fails, fixed passes' : 'UNEXPECTED: some scenario did not give legacy fail / fixed pass');
  return expected ? 0 : 1;
}

function summaryRow(scenario: string, legacy: RunReport, fixed: RunReport, ok: boolean): string {
  const pair = (pick: (r: RunReport) => string) => `${pick(legacy)} -> ${pick(fixed)}`;
  return `| ${scenario} | ${legacy.verdict.verdict} (${legacy.violationsTotal}) | ${fixed.verdict.verdict} (${fixed.violationsTotal}) | ${pair((r) => formatRate(r.figures.counterMismatchesPer30Min))} | ${pair((r) => formatRate(r.figures.lockSweepsPer30Min))} | ${pair((r) => formatRate(r.figures.memoryGrowthMBPerHour))} | ${pair((r) => String(r.figures.peakWatchdogsPerSecond))} | ${pair((r) => String(r.figures.peakClosesPerSecond))} | ${ok ? 'yes' : 'NO'} |`;
}
