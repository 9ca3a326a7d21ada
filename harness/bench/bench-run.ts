/**
 * One bench run in a process of its own (what `bench:instructions` counts under valgrind):
 *   node --import tsx harness/bench/bench-run.ts <legacy|fixed> <on|off> <minutes>
 * The last line is JSON: the events recorded and the violations found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPool } from '../pool/load-pool.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { fiftySessions } from './bench-scenario.ts';

const [poolName = 'fixed', checks = 'on', minutes = '4'] = process.argv.slice(2);
const scenario = fiftySessions(Number(minutes));
const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
try {
  const result = await runScenario({ scenario, pool: await loadPool(poolName), seed: scenario.seed, outDir: dir, checks: checks === 'on' });
  console.log(JSON.stringify({ events: result.figures.events, violations: result.violations.length }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
