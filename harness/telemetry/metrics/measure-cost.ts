/**
 * What following a run with the metrics observer costs, on the bench's workload (50 concurrent
 * sessions with faults, 20 simulated minutes):
 *   node --expose-gc --import tsx harness/telemetry/metrics/measure-cost.ts
 * - `observerPct`: the time spent inside the observer's own calls (each timed, less what the timing
 *   costs), against the rest of the run: median of the repetitions. Stable on a busy machine.
 * - `wholeRun`: whole runs with and without the observer (serving on an ephemeral port, scraped
 *   once a second), interleaved; medians and the spread of the runs without it, which on a shared
 *   2-core machine is larger than the effect: context, not the figure.
 * `TALLY_BENCH_REPS` sets the repetitions (default 7). The last line of stdout is JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fiftySessions } from '../../bench/bench-scenario.ts';
import { loadPool } from '../../pool/load-pool.ts';
import type { RunObserver } from '../../runner/observer.ts';
import { runScenario } from '../../runner/run-scenario.ts';
import { createMetricsObserver } from './metrics-observer.ts';

const REPETITIONS = Number(process.env.TALLY_BENCH_REPS ?? 7);
const scenario = fiftySessions(20);
const pool = await loadPool('legacy');

async function timedRun(observers: RunObserver[]): Promise<{ wallMs: number; events: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-metrics-cost-'));
  try {
    globalThis.gc?.();
    const started = performance.now();
    const result = await runScenario({ scenario, pool, seed: scenario.seed, outDir: dir, observers });
    return { wallMs: performance.now() - started, events: result.figures.events };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The observer's calls timed one by one inside a run, less an identically timed empty section. */
async function timedObserver(): Promise<{ pct: number; nsPerEvent: number }> {
  const observer = await createMetricsObserver();
  let insideMs = 0;
  let timingMs = 0;
  const timed = <A>(call: (arg: A) => void) => (arg: A) => {
    let began = performance.now();
    timingMs += performance.now() - began;
    began = performance.now();
    call(arg);
    insideMs += performance.now() - began;
  };
  const run = await timedRun([{ event: timed(observer.event!), violation: timed(observer.violation!) }]);
  const ownMs = insideMs - timingMs;
  await observer.stop();
  return { pct: (100 * ownMs) / (run.wallMs - ownMs - timingMs), nsPerEvent: (ownMs * 1e6) / run.events };
}

/** A run followed by the observer serving its page, scraped every second as Prometheus would. */
async function servedRun(): Promise<{ wallMs: number; events: number }> {
  const observer = await createMetricsObserver({ port: 0 });
  const scraper = setInterval(() => void fetch(observer.url!).then((response) => response.text()).catch(() => undefined), 1000);
  try {
    return await timedRun([observer]);
  } finally {
    clearInterval(scraper);
    await observer.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

await timedRun([]); // warm-up: JIT, module loading
const own: Awaited<ReturnType<typeof timedObserver>>[] = [];
const without: number[] = [];
const withMetrics: number[] = [];
let events = 0;
for (let i = 0; i < REPETITIONS; i++) {
  const a = await timedRun([]);
  const b = await servedRun();
  own.push(await timedObserver());
  without.push(a.wallMs);
  withMetrics.push(b.wallMs);
  events = a.events;
  process.stderr.write(`  rep ${i + 1}/${REPETITIONS}: observer ${own.at(-1)!.pct.toFixed(2)} % of the run; whole runs ${Math.round(a.wallMs)} ms without, ${Math.round(b.wallMs)} ms with\n`);
}
const pcts = own.map((o) => o.pct);
console.log(
  JSON.stringify({
    bench: 'metrics-observer',
    events,
    repetitions: REPETITIONS,
    observerPct: round(median(pcts)),
    observerPctRange: [round(Math.min(...pcts)), round(Math.max(...pcts))],
    observerNsPerEvent: Math.round(median(own.map((o) => o.nsPerEvent))),
    wholeRun: {
      withoutMs: Math.round(median(without)),
      withMs: Math.round(median(withMetrics)),
      overheadPct: round(((median(withMetrics) - median(without)) / median(without)) * 100),
      spreadPct: round(((Math.max(...without) - Math.min(...without)) / median(without)) * 100, 1),
    },
  }),
);
