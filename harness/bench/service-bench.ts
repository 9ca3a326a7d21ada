/**
 * What `tally serve` costs a pool behind HTTP: requests/s and latency of the fixed pool on the sim
 * driver (real time, 1/1000 scale, so jobs cost CPU rather than waiting) under autocannon, three
 * ways, side by side in one run:
 *   - instrumented: `tally serve` as shipped (recorder, online checkers, run metrics, the run's trace);
 *   - traces off: the same with OTEL_SDK_DISABLED=true (the trace is the costliest observer);
 *   - bare: the same pool behind a plain `node:http` server, with no Tally at all.
 * Connections equal the pool's capacity, so no request queues and none is refused: what differs is
 * the work per request. Each server runs in its own process, autocannon in this one; the order of
 * the three alternates between repetitions and the medians are reported. Last line: one JSON object.
 *
 * The service takes its heap samples (a full GC each) in scenario time: every 30 real seconds at the
 * shipped scale, but every 0.3 s at this bench's, where they took a quarter of the service's CPU. The
 * bench keeps the shipped cadence in real time, so it measures what `tally serve` costs as shipped.
 *
 *   npm run bench:service            (TALLY_BENCH_REPEAT=2, TALLY_BENCH_SECONDS=5)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driveLoad } from '../load/drive-load.ts';
import { type LoadFigures, loadFigures } from '../load/load-figures.ts';
import { type ServiceChild, spawnReady, spawnService } from '../load/spawn-service.ts';
import { seededRandom } from '../random.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { median, round } from './stats.ts';

const REPEAT = Number(process.env.TALLY_BENCH_REPEAT ?? 2);
const SECONDS = Number(process.env.TALLY_BENCH_SECONDS ?? 5);
/** The service scenario's maxBrowsers. */
const CAPACITY = 4;
const BENCH_SCALE = 0.001;
const SCALE = ['--set', `real.timeScale=${BENCH_SCALE}`];
const { scenario: shipped } = await loadScenario('service');
/** The shipped scenario's heap sample interval in real ms, in scenario ms at the bench's scale. */
const HEAP_CADENCE = ['--set', `heap.sampleEveryMs=${Math.round((shipped.heap.sampleEveryMs! * shipped.real.timeScale) / BENCH_SCALE)}`];
const BARE_SERVER = join(import.meta.dirname, 'bare-pool-server.ts');

type Variant = 'instrumented' | 'tracesOff' | 'bare';
const VARIANTS: Variant[] = ['instrumented', 'tracesOff', 'bare'];

async function start(variant: Variant, out: string): Promise<ServiceChild> {
  if (variant === 'bare') return spawnReady(['--import', 'tsx', BARE_SERVER, 'fixed', 'service', ...SCALE]);
  const env = { ...process.env, ...(variant === 'tracesOff' ? { OTEL_SDK_DISABLED: 'true' } : {}) };
  return spawnService(['--pool', 'fixed', '--out', join(out, variant), ...SCALE, ...HEAP_CADENCE], env);
}

async function measure(variant: Variant, out: string): Promise<LoadFigures> {
  const server = await start(variant, out);
  try {
    const shape = { mix: [{ store: 'store-1', pages: 2, weight: 1 }], random: seededRandom(1) };
    return loadFigures(await driveLoad({ url: server.url, connections: CAPACITY, durationS: SECONDS, timeoutS: 30, ...shape }), shape);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

const out = mkdtempSync(join(tmpdir(), 'tally-service-bench-'));
const results = new Map<Variant, LoadFigures[]>(VARIANTS.map((variant) => [variant, []]));
try {
  for (let i = 0; i < REPEAT; i++) {
    const order = i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const variant of order) {
      const figures = await measure(variant, out);
      results.get(variant)!.push(figures);
      console.log(
        `${variant.padEnd(12)} ${figures.requestsPerSecond} req/s, p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, 2xx ${figures.status['2xx']}, other ${figures.requests - figures.status['2xx']}`,
      );
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

const summary = Object.fromEntries(
  VARIANTS.map((variant) => {
    const runs = results.get(variant)!;
    return [
      variant,
      {
        requestsPerSecond: round(median(runs.map((f) => f.requestsPerSecond)), 1),
        p50Ms: median(runs.map((f) => f.latencyMs.p50)),
        p99Ms: median(runs.map((f) => f.latencyMs.p99)),
        non2xx: runs.reduce((sum, f) => sum + f.requests - f.status['2xx'], 0),
      },
    ];
  }),
) as Record<Variant, { requestsPerSecond: number; p50Ms: number; p99Ms: number; non2xx: number }>;
const cost = (of: Variant, against: Variant) => round(100 * (1 - summary[of].requestsPerSecond / summary[against].requestsPerSecond), 1);
console.log(
  JSON.stringify({
    seconds: SECONDS,
    repeat: REPEAT,
    connections: CAPACITY,
    ...summary,
    throughputCostVsBarePercent: cost('instrumented', 'bare'),
    tracesCostPercent: cost('instrumented', 'tracesOff'),
  }),
);
