import { InputError } from '../errors.ts';
import { formatRate, missedFaultsLine, violationLine } from '../report/format.ts';
import type { RunReport } from '../report/report-json.ts';
import { onInterrupt } from '../runner/interrupt.ts';
import { showProgress } from '../runner/progress.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { executeRun } from './execute-run.ts';
import { type MetricsArgs, type RunCommandMetrics, startRunMetrics } from './run-command-metrics.ts';
import type { ScenarioArgs } from './scenario-args.ts';

export interface RunArgs extends ScenarioArgs {
  quiet: boolean;
  /** Sim only: scenario seconds per real second, to watch a run live. */
  pace: number | undefined;
  /** `--metrics-port` and friends: serve the run's Prometheus metrics. */
  metrics?: MetricsArgs | undefined;
  /** `--heap-snapshots`: baseline, target and final heap snapshots, then the leak analysis. */
  heapSnapshots?: boolean;
  /** `--keep-snapshots`: keep them in the run folder once analysed. */
  keepSnapshots?: boolean;
}

/** `tally run <scenario>`: exit 0 when every invariant held, 1 on violations, 2 when undecided. */
export async function runCommand(args: RunArgs): Promise<number> {
  if (!args.scenario) throw new InputError('run: which scenario? e.g. tally run scenarios/watchdog-timeout.scenario.ts --pool legacy');
  const loaded = await loadScenario(args.scenario, args.set, args.scenarios);
  const progress = args.quiet ? undefined : showProgress(`${loaded.scenario.name} / ${args.pool}`, loaded.scenario.durationMs);
  const interrupt = onInterrupt();
  let metrics: RunCommandMetrics | undefined;
  let firstViolation = true;
  try {
    if (args.metrics) metrics = await startRunMetrics(args.metrics, interrupt.signal);
    const { report, outDir } = await executeRun({
      scenario: loaded,
      pool: args.pool,
      driver: args.driver,
      ...(args.pace === undefined ? {} : { pace: args.pace }),
      ...(args.seed === undefined ? {} : { seed: args.seed }),
      ...(args.out === undefined ? {} : { out: args.out }),
      ...(args.force ? { force: true } : {}),
      overrides: args.set,
      ...(args.heapSnapshots ? { heapSnapshots: true } : {}),
      ...(args.keepSnapshots ? { keepSnapshots: true } : {}),
      signal: interrupt.signal,
      ...(metrics ? { observers: [metrics] } : {}),
      ...(progress ? { onStatus: progress.attach } : {}),
      onViolation: (violation) => {
        if (!firstViolation || args.quiet) return;
        firstViolation = false;
        process.stderr.write(`\nfirst violation: ${violationLine(violation)}\n`);
      },
    });
    progress?.stop();
    // Budgets are judged once the run is over: when only a budget broke, its line is the first violation.
    const overBudget = report.violations.find((violation) => violation.invariant === 'budget');
    if (firstViolation && !args.quiet && overBudget) process.stderr.write(`\nfirst violation: ${violationLine(overBudget)}\n`);
    printRunSummary(report, outDir);
    await metrics?.held();
    return report.verdict.code;
  } finally {
    await metrics?.stop();
    progress?.stop();
    interrupt.dispose();
  }
}

/** The verdict, its counts and the story's figures, and where the report is: what `run` and `serve` print at the end. */
export function printRunSummary(report: RunReport, outDir: string): void {
  const f = report.figures;
  console.log(`${report.verdict.verdict.toUpperCase()}: ${report.verdict.why}`);
  if (report.error) console.log(`  error: ${report.error}`);
  for (const [name, count] of Object.entries(report.invariants)) if (count > 0) console.log(`  ${name}: ${count}`);
  console.log(
    `  counter mismatches/30min ${formatRate(f.counterMismatchesPer30Min)}, lock sweeps/30min ${formatRate(f.lockSweepsPer30Min)}, memory growth ${formatRate(f.memoryGrowthMBPerHour)} MB/h, peak closes/s ${f.peakClosesPerSecond}`,
  );
  if (f.faultsMissed > 0) console.log(`  note: ${missedFaultsLine(f.faultsMissed)}`);
  if (f.leakedObjects !== null)
    console.log(
      `  leaks: ${f.leakedObjects} objects the closed pool holds or let go of alive${f.leakTop === null ? '' : `; top: ${f.leakTop}`} (${outDir}/leaks.md)`,
    );
  for (const line of f.pageLeaks) console.log(`  ${line.startsWith('page heap') ? '' : 'page heaps: '}${line}`);
  for (const missing of f.heapMissing) console.log(`  heap: ${missing}`);
  console.log(`  ${outDir}/report.md (and report.html)   replay: ${report.replay}`);
}
