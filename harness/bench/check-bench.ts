/**
 * `npm run bench:check [-- <run folder or history.ndjson>]`: the checkers alone, replayed over one
 * saved history several times; the best time per event is the figure, as the repetitions differ
 * only by what else the machine does. Without a path it makes the legacy soak's history first (a
 * day of faults, ~120k events). Replaying one history makes two versions of the checkers
 * comparable on the same machine, whatever its load: run it in each checkout, alternating.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckSuite } from '../checkers/check-history.ts';
import { readHistory } from '../history/read-history.ts';
import { loadPool } from '../pool/load-pool.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { round, spread } from './stats.ts';

const REPETITIONS = Number(process.env.TALLY_BENCH_REPS ?? 7);

async function historyPath(given: string | undefined): Promise<{ path: string; cleanup: () => void }> {
  if (given !== undefined) {
    const path = existsSync(given) && statSync(given).isDirectory() ? join(given, 'history.ndjson') : given;
    if (!existsSync(path)) throw new Error(`bench:check: ${path}: no such history`);
    return { path, cleanup: () => {} };
  }
  const out = mkdtempSync(join(tmpdir(), 'tally-check-bench-'));
  process.stderr.write('making the legacy soak history...\n');
  const { scenario } = await loadScenario('soak');
  await runScenario({ scenario, pool: await loadPool('legacy'), seed: scenario.seed, outDir: out });
  return { path: join(out, 'history.ndjson'), cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

const { path, cleanup } = await historyPath(process.argv[2]);
try {
  const events = readHistory(path);
  const nsPerEvent: number[] = [];
  let violations = 0;
  for (let rep = 1; rep <= REPETITIONS; rep++) {
    const suite = createCheckSuite();
    const started = process.hrtime.bigint();
    for (const event of events) suite.step(event);
    nsPerEvent.push(Number(process.hrtime.bigint() - started) / events.length);
    violations = suite.violations.length;
    process.stderr.write(`rep ${rep}/${REPETITIONS}: ${round(nsPerEvent.at(-1)!)} ns/event\n`);
  }
  console.log(
    JSON.stringify({
      bench: 'check',
      node: process.version,
      history: path,
      events: events.length,
      violations,
      repetitions: REPETITIONS,
      bestNsPerEvent: round(Math.min(...nsPerEvent)),
      nsPerEvent: spread(nsPerEvent, 1),
    }),
  );
} finally {
  cleanup();
}
