/**
 * `npm run bench`: what online checking costs and how far the simulation compresses time.
 * - Checker overhead at 50 concurrent sessions with faults. The checkers run online as one
 *   `suite.step(event)` per event; each call is timed inside a real run, less an identically
 *   timed empty section (what the timing itself costs), and set against the run's own time.
 *   Median over repeated runs. This counts what the checkers cost where they run: between the
 *   run's own work, with their state no longer in cache, and with whatever GC their allocations
 *   bring on. Whole runs with checking on and off are also timed, interleaved, and reported with
 *   their spread: on a shared 2-core machine it is larger than the effect, so they are context.
 * - The 24-hour soak's compression: simulated seconds per wall second.
 * Progress goes to stderr; the last line of stdout is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckSuite } from '../checkers/check-history.ts';
import type { AnyEvent } from '../history/events.ts';
import { loadPool } from '../pool/load-pool.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { RunObserver } from '../runner/observer.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { fiftySessions as fiftySessionsFor } from './bench-scenario.ts';

const REPETITIONS = Number(process.env.TALLY_BENCH_REPS ?? 7);

/** Twenty simulated minutes: ~200k events, a few seconds of wall time. */
const fiftySessions = fiftySessionsFor(20);

async function timedRun(scenario: Scenario, poolName: string, checks: boolean, observers: RunObserver[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  try {
    const pool = await loadPool(poolName);
    globalThis.gc?.();
    const started = performance.now();
    const result = await runScenario({ scenario, pool, seed: scenario.seed, outDir: dir, checks, observers });
    const wallMs = performance.now() - started;
    return { wallMs, events: result.figures.events, virtualMs: result.figures.virtualMs, violations: result.violations.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One run with the checkers stepped online, each step timed: their share of the run's time. */
async function timedChecks(scenario: Scenario, poolName: string) {
  const suite = createCheckSuite();
  let stepMs = 0;
  let timingMs = 0;
  const timedStep = (event: AnyEvent) => {
    let began = performance.now();
    timingMs += performance.now() - began;
    began = performance.now();
    suite.step(event);
    stepMs += performance.now() - began;
  };
  const run = await timedRun(scenario, poolName, false, [{ event: timedStep }]);
  const checkMs = stepMs - timingMs;
  return { checkNsPerEvent: (checkMs * 1e6) / run.events, overheadPct: (100 * checkMs) / (run.wallMs - checkMs - timingMs), violations: suite.violations.length };
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
  const timed: Awaited<ReturnType<typeof timedChecks>>[] = [];
  let events = 0;
  for (let i = 0; i < REPETITIONS; i++) {
    // Interleaved, so drift in machine load hits every mode alike.
    const a = await timedRun(fiftySessions, poolName, false);
    const b = await timedRun(fiftySessions, poolName, true);
    timed.push(await timedChecks(fiftySessions, poolName));
    off.push(a.events / (a.wallMs / 1000));
    on.push(b.events / (b.wallMs / 1000));
    events = a.events;
    process.stderr.write(`  ${poolName} rep ${i + 1}/${REPETITIONS}: checkers ${timed.at(-1)!.overheadPct.toFixed(2)} % of the run; whole runs off ${Math.round(off.at(-1)!)} ev/s, on ${Math.round(on.at(-1)!)} ev/s\n`);
  }
  const overheads = timed.map((t) => t.overheadPct);
  return {
    events,
    violations: timed[0]!.violations,
    checkNsPerEvent: Math.round(median(timed.map((t) => t.checkNsPerEvent))),
    overheadPct: round(median(overheads), 2),
    overheadPctRange: [round(Math.min(...overheads), 2), round(Math.max(...overheads), 2)],
    eventsPerSecChecksOff: Math.round(median(off)),
    eventsPerSecChecksOn: Math.round(median(on)),
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

process.stderr.write(`checker overhead at 50 concurrent sessions (${REPETITIONS} interleaved repetitions, medians)\n`);
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
