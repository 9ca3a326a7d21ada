import { mkdirSync, rmSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Violation } from '../checkers/violation.ts';
import { InputError } from '../errors.ts';
import { loadPool } from '../pool/load-pool.ts';
import type { RunReport } from '../report/report-json.ts';
import { loadScenario, type LoadedScenario } from '../scenario/load-scenario.ts';
import { RUN_FILES, writeRunFolder } from './run-folder.ts';
import type { RunObserver } from './observer.ts';
import { runScenario, type RunStatus } from './run-scenario.ts';

export interface ExecuteOptions {
  /** A scenario path or name, or one already loaded (with `overrides` applied). */
  scenario: string | LoadedScenario;
  pool: string;
  driver?: string;
  seed?: number;
  out?: string;
  overrides?: readonly string[];
  signal?: AbortSignal;
  onStatus?: (status: () => RunStatus) => void;
  onViolation?: (violation: Violation) => void;
  /** Telemetry and other followers of the run (see RunObserver). */
  observers?: readonly RunObserver[];
}

export const DRIVERS = ['sim'] as const;

/** Load, run, write the folder: what `tally run` and `tally demo` both do. */
export async function executeRun(options: ExecuteOptions): Promise<{ report: RunReport; outDir: string }> {
  const driver = options.driver ?? 'sim';
  if (!(DRIVERS as readonly string[]).includes(driver)) throw new InputError(`--driver ${driver}: unknown driver (available: ${DRIVERS.join(', ')})`);
  const { path, scenario } = typeof options.scenario === 'string' ? await loadScenario(options.scenario, options.overrides) : options.scenario;
  const pool = await loadPool(options.pool);
  const seed = options.seed ?? scenario.seed;
  const outDir = options.out ?? defaultOutDir(scenario.name, pool.name, seed, options.overrides ?? []);
  // Only this run's own artefacts are replaced: --out may name a folder that holds other things.
  mkdirSync(outDir, { recursive: true });
  for (const file of RUN_FILES) rmSync(join(outDir, file), { force: true });
  const startedAt = new Date();
  const result = await runScenario({ scenario, pool, seed, outDir, ...(options.signal ? { signal: options.signal } : {}), ...(options.onViolation ? { onViolation: options.onViolation } : {}), ...(options.observers ? { observers: options.observers } : {}) }, options.onStatus);
  const report = writeRunFolder(outDir, { scenario, scenarioPath: path, pool: pool.name, driver, seed, overrides: options.overrides ?? [], startedAt }, result);
  return { report, outDir };
}

/** `reports/runs/<scenario>/<pool>-seed<N>[-<overrides>]`: runs that differ get folders that differ. */
export function defaultOutDir(scenario: string, pool: string, seed: number, overrides: readonly string[]): string {
  const label = ['legacy', 'fixed'].includes(pool) ? pool : basename(pool, extname(pool));
  const suffix = overrides.map((assignment) => `-${assignment.replace(/[^\w.=-]+/g, '_')}`).join('');
  return join('reports', 'runs', scenario, `${label}-seed${seed}${suffix}`);
}
