import { basename, extname, join } from 'node:path';
import type { Violation } from '../checkers/violation.ts';
import { driverNamed, isRealDriver, launcherFor } from '../drivers/catalogue.ts';
import { InputError } from '../errors.ts';
import type { RunObserver } from '../observer/run-observer.ts';
import { loadPool } from '../pool/load-pool.ts';
import type { RunReport } from '../report/report-json.ts';
import { newRunFolder, prepareRunFolder, writeRunFolder } from '../runner/run-folder.ts';
import { type FaultControl, type RunStatus, runScenario } from '../runner/run-scenario.ts';
import { type LoadedScenario, loadScenario } from '../scenario/load-scenario.ts';
import { scenarioForDriver } from '../scenario/scenario-for-driver.ts';
import { createTraceObserver } from '../telemetry/traces/trace-observer.ts';
import type { StartWorkload } from '../workload/workload.ts';

export interface ExecuteOptions {
  /** A scenario path or name, or one already loaded (with `overrides` applied). */
  scenario: string | LoadedScenario;
  pool: string;
  driver?: string;
  /** Sim only: scenario ms per real ms (see RunOptions.pace). */
  pace?: number;
  seed?: number;
  out?: string;
  /** Replace the run already in `out` (without it, `out` holding a run's history or report is refused). */
  force?: boolean;
  overrides?: readonly string[];
  signal?: AbortSignal;
  onStatus?: (status: () => RunStatus) => void;
  onViolation?: (violation: Violation) => void;
  /** Telemetry and other followers of the run (see RunObserver). */
  observers?: readonly RunObserver[];
  /** `--heap-snapshots`: baseline, target and final heap snapshots into the run folder. */
  heapSnapshots?: boolean;
  /** `--keep-snapshots`: keep the snapshots once analysed. */
  keepSnapshots?: boolean;
  /** Who starts the jobs instead of the scenario's slots (see RunOptions.workload). */
  workload?: StartWorkload;
  /** Strikes from outside the run (see RunOptions.faults). */
  faults?: FaultControl;
  /** `false`: no invariant is checked as the run goes (see RunOptions.checks). */
  checks?: boolean;
}

/** Load, run, write the folder: what `tally run` and `tally demo` both do. */
export async function executeRun(options: ExecuteOptions): Promise<{ report: RunReport; outDir: string }> {
  const driver = driverNamed(options.driver ?? 'sim');
  if (options.pace !== undefined && isRealDriver(driver))
    throw new InputError(
      `--pace ${options.pace}: only the sim driver can be paced (real browsers run in real time; see the scenario's real.timeScale)`,
    );
  // A real driver whose browser is missing is bad input, said before anything is loaded or written.
  const launcher = isRealDriver(driver) ? await launcherFor(driver) : undefined;
  const loaded = typeof options.scenario === 'string' ? await loadScenario(options.scenario, options.overrides) : options.scenario;
  const { path } = loaded;
  // A run whose jobs someone else starts (the service's requests) is open-ended.
  const scenario = scenarioForDriver(loaded.scenario, driver, { openEnded: options.workload !== undefined });
  const pool = await loadPool(options.pool);
  const seed = options.seed ?? scenario.seed;
  const outDir = options.out ?? newRunFolder(defaultOutDir(scenario.name, pool.name, driver, seed, options.overrides ?? []));
  prepareRunFolder(outDir, { force: options.force ?? false });
  const startedAt = new Date();
  const result = await runScenario(
    {
      scenario,
      pool,
      seed,
      driver,
      outDir,
      ...(launcher ? { launcher } : {}),
      ...(options.pace === undefined ? {} : { pace: options.pace }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onViolation ? { onViolation: options.onViolation } : {}),
      ...(options.heapSnapshots ? { heapSnapshots: true } : {}),
      ...(options.keepSnapshots ? { keepSnapshots: true } : {}),
      ...(options.workload ? { workload: options.workload } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.checks === false ? { checks: false } : {}),
      observers: [createTraceObserver(), ...(options.observers ?? [])],
    },
    options.onStatus,
  );
  const report = await writeRunFolder(
    outDir,
    { scenario, scenarioPath: path, pool: pool.name, driver, seed, overrides: options.overrides ?? [], startedAt },
    result,
  );
  return { report, outDir };
}

/**
 * `reports/runs/<scenario>/<pool>[-<driver>]-seed<N>[-<overrides>]`: the series of one setup (runs
 * that differ get series that differ); each run gets a new folder in it (see newRunFolder).
 */
export function defaultOutDir(scenario: string, pool: string, driver: string, seed: number, overrides: readonly string[]): string {
  const label = ['legacy', 'fixed'].includes(pool) ? pool : basename(pool, extname(pool));
  const onDriver = driver === 'sim' ? '' : `-${driver}`;
  const suffix = overrides.map((assignment) => `-${assignment.replace(/[^\w.=-]+/g, '_')}`).join('');
  return join('reports', 'runs', scenario, `${label}${onDriver}-seed${seed}${suffix}`);
}
