/**
 * `npm run bench`: what online checking and telemetry cost, and how far the simulation compresses time.
 * - Checker overhead at 50 concurrent sessions with faults. The checkers run online as one
 *   `suite.step(event)` per event; each call is timed inside a real run, less an identically
 *   timed empty section (what the timing itself costs), and set against the run's own time.
 *   Median over repeated runs. This counts what the checkers cost where they run: between the
 *   run's own work, with their state no longer in cache, and with whatever GC their allocations
 *   bring on. Whole runs with checking on and off are also timed, interleaved, and reported with
 *   their spread: on a shared 2-core machine it is larger than the effect, so they are context.
 * - Instrumentation overhead: the telemetry every `tally run` carries (the trace observer, which
 *   makes its spans and writes traces.otlp.json when the run is over) and the metrics observer
 *   (`--metrics-port`), timed the same way: `duringRunPct` while the run goes (what slows its
 *   events down), `exportMs` once it is over (making, serializing and writing the spans), and
 *   `overheadPct` for both together.
 * - The 24-hour soak's compression: simulated seconds per wall second.
 * Progress goes to stderr; the last line of stdout is one JSON object.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckSuite } from '../checkers/check-history.ts';
import type { RunObserver } from '../observer/run-observer.ts';
import { loadPool } from '../pool/load-pool.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import type { Scenario } from '../scenario/schema.ts';
import { createMetricsObserver } from '../telemetry/metrics/metrics-observer.ts';
import { countSpans } from '../telemetry/traces/decode-spans.ts';
import { TRACES_FILE } from '../telemetry/traces/export-spans.ts';
import { createTraceObserver } from '../telemetry/traces/trace-observer.ts';
import { fiftySessions as fiftySessionsFor } from './bench-scenario.ts';
import { median, round, spread } from './stats.ts';
import { overheadPct, timedObserver } from './timed-observer.ts';

const REPETITIONS = Number(process.env.TALLY_BENCH_REPS ?? 7);

/** Twenty simulated minutes: ~200k events, a few seconds of wall time. */
const fiftySessions = fiftySessionsFor(20);

async function timedRun(
  scenario: Scenario,
  poolName: string,
  checks: boolean,
  observers: RunObserver[] = [],
  inspect?: (dir: string) => void,
) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  try {
    const pool = await loadPool(poolName);
    globalThis.gc?.();
    const started = performance.now();
    const result = await runScenario({ scenario, pool, seed: scenario.seed, outDir: dir, checks, observers });
    const wallMs = performance.now() - started;
    inspect?.(dir);
    return { wallMs, events: result.figures.events, virtualMs: result.figures.virtualMs, violations: result.violations.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One run with the checkers stepped online, each step timed: their share of the run's time. */
async function timedChecks(scenario: Scenario, poolName: string) {
  const suite = createCheckSuite();
  const checkers = timedObserver({ event: (event) => suite.step(event), wants: suite.wants });
  const run = await timedRun(scenario, poolName, false, [checkers.observer]);
  return {
    checkNsPerEvent: (checkers.ownMs() * 1e6) / run.events,
    overheadPct: overheadPct(run.wallMs, [checkers]),
    violations: suite.violations.length,
  };
}

/**
 * One run followed by the telemetry `tally run` attaches: the trace observer (which makes its spans
 * and writes traces.otlp.json at the end) and the metrics observer, each timed.
 */
async function timedTelemetry(scenario: Scenario, poolName: string) {
  const traces = timedObserver(createTraceObserver({ env: {} }));
  const metricsObserver = await createMetricsObserver();
  const metrics = timedObserver(metricsObserver);
  let spans = 0;
  const run = await timedRun(
    scenario,
    poolName,
    true,
    [traces.observer, metrics.observer],
    (dir) => (spans = countSpans(JSON.parse(readFileSync(join(dir, TRACES_FILE), 'utf8')))),
  );
  await metricsObserver.stop();
  return {
    tracesPct: overheadPct(run.wallMs, [traces]),
    metricsPct: overheadPct(run.wallMs, [metrics]),
    totalPct: overheadPct(run.wallMs, [traces, metrics]),
    duringRunPct: overheadPct(run.wallMs, [traces, metrics], 'during'),
    exportMs: traces.closeMs(),
    spans,
  };
}

async function overheads(poolName: string) {
  await timedRun(fiftySessions, poolName, true); // warm-up: JIT, module loading
  const on: number[] = [];
  const off: number[] = [];
  const checks: Awaited<ReturnType<typeof timedChecks>>[] = [];
  const telemetry: Awaited<ReturnType<typeof timedTelemetry>>[] = [];
  let events = 0;
  for (let i = 0; i < REPETITIONS; i++) {
    // Interleaved, so drift in machine load hits every mode alike.
    const a = await timedRun(fiftySessions, poolName, false);
    const b = await timedRun(fiftySessions, poolName, true);
    checks.push(await timedChecks(fiftySessions, poolName));
    telemetry.push(await timedTelemetry(fiftySessions, poolName));
    off.push(a.events / (a.wallMs / 1000));
    on.push(b.events / (b.wallMs / 1000));
    events = a.events;
    const t = telemetry.at(-1)!;
    process.stderr.write(
      `  ${poolName} rep ${i + 1}/${REPETITIONS}: checkers ${checks.at(-1)!.overheadPct.toFixed(2)} %, traces ${t.tracesPct.toFixed(2)} % (export ${t.exportMs.toFixed(0)} ms), metrics ${t.metricsPct.toFixed(2)} % of the run; whole runs off ${Math.round(off.at(-1)!)} ev/s, on ${Math.round(on.at(-1)!)} ev/s\n`,
    );
  }
  const checkers = spread(checks.map((c) => c.overheadPct));
  const traces = spread(telemetry.map((t) => t.tracesPct));
  const metrics = spread(telemetry.map((t) => t.metricsPct));
  const instrumentation = spread(telemetry.map((t) => t.totalPct));
  const duringRun = spread(telemetry.map((t) => t.duringRunPct));
  const exportMs = spread(
    telemetry.map((t) => t.exportMs),
    1,
  );
  return {
    checkerOverhead: {
      events,
      violations: checks[0]!.violations,
      checkNsPerEvent: Math.round(median(checks.map((c) => c.checkNsPerEvent))),
      overheadPct: checkers.median,
      overheadPctRange: checkers.range,
      eventsPerSecChecksOff: Math.round(median(off)),
      eventsPerSecChecksOn: Math.round(median(on)),
      wholeRunOverheadPct: {
        median: round(((median(off) - median(on)) / median(off)) * 100, 2),
        spreadPct: round(((Math.max(...off) - Math.min(...off)) / median(off)) * 100, 1),
      },
    },
    instrumentationOverhead: {
      duringRunPct: duringRun.median,
      duringRunPctRange: duringRun.range,
      exportMs: exportMs.median,
      exportMsRange: exportMs.range,
      overheadPct: instrumentation.median,
      overheadPctRange: instrumentation.range,
      tracesPct: traces.median,
      tracesPctRange: traces.range,
      metricsPct: metrics.median,
      metricsPctRange: metrics.range,
      spans: telemetry[0]!.spans,
    },
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

process.stderr.write(`checker and instrumentation overhead at 50 concurrent sessions (${REPETITIONS} interleaved repetitions, medians)\n`);
const fixed = await overheads('fixed');
const legacy = await overheads('legacy');
process.stderr.write('24-hour soak\n');
const soakFixed = await soakCompression('fixed');
const soakLegacy = await soakCompression('legacy');
console.log(
  JSON.stringify({
    bench: 'sim',
    node: process.version,
    concurrentSessions: 50,
    repetitions: REPETITIONS,
    checkerOverhead: { fixed: fixed.checkerOverhead, legacy: legacy.checkerOverhead },
    instrumentationOverhead: { fixed: fixed.instrumentationOverhead, legacy: legacy.instrumentationOverhead },
    soak: { fixed: soakFixed, legacy: soakLegacy },
  }),
);
