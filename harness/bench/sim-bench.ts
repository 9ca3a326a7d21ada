/**
 * `npm run bench`: what online checking costs and how far the simulation compresses time.
 * - events/s at 50 concurrent sessions with the checkers on and off (the history is recorded in
 *   both: it is the interface, and the checkers need nothing else), interleaved, best of N;
 * - the 24-hour soak's compression: simulated seconds per wall second.
 * Progress goes to stderr; the last line of stdout is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPool } from '../pool/load-pool.ts';
import { loadScenario, parseScenario } from '../scenario/load-scenario.ts';
import type { Scenario } from '../scenario/schema.ts';
import { runScenario } from '../runner/run-scenario.ts';

const REPETITIONS = Number(process.env.TALLY_BENCH_REPS ?? 7);

const fiftySessions: Scenario = parseScenario(
  {
    name: 'bench-50-sessions',
    description: '50 concurrent sessions with mixed faults, for throughput',
    seed: 7,
    durationMs: 20 * 60_000,
    workload: { concurrency: 50, pagesPerJob: 20, pageMs: 1_500, rampMs: 5_000 },
    pool: { maxBrowsers: 60, watchdogMs: 60_000, jitterMs: 10_000 },
    faults: [
      { kind: 'crash', every: 20_000 },
      { kind: 'stall', every: 30_000 },
      { kind: 'throw', every: 15_000 },
    ],
  },
  'bench',
);

async function timedRun(scenario: Scenario, poolName: string, checks: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  try {
    const pool = await loadPool(poolName);
    const started = performance.now();
    const result = await runScenario({ scenario, pool, seed: scenario.seed, outDir: dir, checks });
    const wallMs = performance.now() - started;
    return { wallMs, events: result.figures.events, virtualMs: result.figures.virtualMs, violations: result.violations.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function checkerOverhead(poolName: string) {
  await timedRun(fiftySessions, poolName, true); // warm-up: JIT, module loading
  const on: number[] = [];
  const off: number[] = [];
  let events = 0;
  let violations = 0;
  for (let i = 0; i < REPETITIONS; i++) {
    // Interleaved, so drift in machine load hits both modes alike.
    const a = await timedRun(fiftySessions, poolName, false);
    const b = await timedRun(fiftySessions, poolName, true);
    off.push(a.events / (a.wallMs / 1000));
    on.push(b.events / (b.wallMs / 1000));
    events = b.events;
    violations = b.violations;
    process.stderr.write(`  ${poolName} rep ${i + 1}/${REPETITIONS}: off ${Math.round(off.at(-1)!)} ev/s, on ${Math.round(on.at(-1)!)} ev/s\n`);
  }
  const bestOff = Math.max(...off);
  const bestOn = Math.max(...on);
  return {
    events,
    violations,
    eventsPerSecChecksOff: Math.round(bestOff),
    eventsPerSecChecksOn: Math.round(bestOn),
    overheadPct: round(((bestOff - bestOn) / bestOff) * 100, 2),
    medianOverheadPct: round(((median(off) - median(on)) / median(off)) * 100, 2),
  };
}

async function soakCompression(poolName: string) {
  const { scenario } = await loadScenario('soak');
  const run = await timedRun(scenario, poolName, true);
  return {
    virtualHours: round(run.virtualMs / 3_600_000, 2),
    wallSeconds: round(run.wallMs / 1000, 2),
    compression: Math.round(run.virtualMs / run.wallMs),
    events: run.events,
  };
}

process.stderr.write(`checker overhead at 50 concurrent sessions (${REPETITIONS} interleaved repetitions, best of each)\n`);
const fixed = await checkerOverhead('fixed');
const legacy = await checkerOverhead('legacy');
process.stderr.write('24-hour soak\n');
const soakFixed = await soakCompression('fixed');
const soakLegacy = await soakCompression('legacy');
console.log(
  JSON.stringify({
    bench: 'sim',
    node: process.version,
    concurrentSessions: 50,
    repetitions: REPETITIONS,
    checkerOverhead: { fixed, legacy },
    soak: { fixed: soakFixed, legacy: soakLegacy },
  }),
);
