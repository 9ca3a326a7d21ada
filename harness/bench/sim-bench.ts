/**
 * `npm run bench`: what online checking costs and how far the simulation compresses time.
 * - Checker overhead at 50 concurrent sessions. Online checking is one `suite.step(event)` per
 *   event; its cost is measured by stepping a fresh suite over the events the recorder produced
 *   in a run (the same objects and calls, warm, see checkCostNs) and set against the run's own
 *   cost per event with checking off. Whole runs with checking on and off are also timed,
 *   interleaved, and reported with their spread: on a shared 2-core machine it is far larger
 *   than the effect measured, so they are context, not the figure.
 * - The 24-hour soak's compression: simulated seconds per wall second.
 * Progress goes to stderr; the last line of stdout is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckSuite } from '../checkers/check-history.ts';
import type { AnyEvent } from '../history/events.ts';
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

async function timedRun(scenario: Scenario, poolName: string, checks: boolean, captured?: AnyEvent[]) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  try {
    const pool = await loadPool(poolName);
    globalThis.gc?.();
    const started = performance.now();
    const listeners = captured ? [(event: AnyEvent) => void captured.push(event)] : [];
    const result = await runScenario({ scenario, pool, seed: scenario.seed, outDir: dir, checks, listeners });
    const wallMs = performance.now() - started;
    return { wallMs, events: result.figures.events, virtualMs: result.figures.virtualMs, violations: result.violations.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Passes over the history before timing: the checkers reach their steady (optimised) speed after a few. */
const WARM_UP_PASSES = 5;

/** Events stepped per timed window: small enough to stay in cache, as one event does online. */
const WINDOW = 256;

/**
 * Wall nanoseconds per event for a fresh suite to check `events` (median of passes), in the
 * conditions of a run: online, the checker sees each event right after the recorder built it and
 * the history file serialised it, so it is in cache. Each window is serialised first (untimed),
 * as the history sink does, then stepped (timed). Replaying a whole history cold would mostly
 * measure cache misses the online checker never has.
 */
function checkCostNs(events: AnyEvent[]): number {
  const passes: number[] = [];
  for (let pass = 0; pass < REPETITIONS + WARM_UP_PASSES; pass++) {
    globalThis.gc?.();
    const suite = createCheckSuite();
    let ms = 0;
    for (let start = 0; start < events.length; start += WINDOW) {
      const end = Math.min(start + WINDOW, events.length);
      for (let i = start; i < end; i++) JSON.stringify(events[i]);
      const began = performance.now();
      for (let i = start; i < end; i++) suite.step(events[i]!);
      ms += performance.now() - began;
    }
    passes.push((ms * 1e6) / events.length);
  }
  return median(passes.slice(WARM_UP_PASSES));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function checkerOverhead(poolName: string) {
  // The events exactly as the online checker receives them (the recorder's own objects).
  const history: AnyEvent[] = [];
  await timedRun(fiftySessions, poolName, true, history); // also warms the JIT
  const on: number[] = [];
  const off: number[] = [];
  let violations = 0;
  for (let i = 0; i < REPETITIONS; i++) {
    // Interleaved, so drift in machine load hits both modes alike.
    const a = await timedRun(fiftySessions, poolName, false);
    const b = await timedRun(fiftySessions, poolName, true);
    off.push(a.events / (a.wallMs / 1000));
    on.push(b.events / (b.wallMs / 1000));
    violations = b.violations;
    process.stderr.write(`  ${poolName} rep ${i + 1}/${REPETITIONS}: off ${Math.round(off.at(-1)!)} ev/s, on ${Math.round(on.at(-1)!)} ev/s\n`);
  }
  const runNsPerEvent = 1e9 / median(off);
  const checkNsPerEvent = checkCostNs(history);
  return {
    events: history.length,
    violations,
    eventsPerSecChecksOff: Math.round(median(off)),
    eventsPerSecChecksOn: Math.round(median(on)),
    runNsPerEvent: Math.round(runNsPerEvent),
    checkNsPerEvent: Math.round(checkNsPerEvent),
    overheadPct: round((checkNsPerEvent / runNsPerEvent) * 100, 2),
    wholeRunOverheadPct: { median: round(((median(off) - median(on)) / median(off)) * 100, 2), spreadPct: round(((Math.max(...off) - Math.min(...off)) / median(off)) * 100, 1) },
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
