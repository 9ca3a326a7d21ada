/**
 * What `tally serve` costs a pool behind HTTP: requests/s and latency of the fixed pool on the sim
 * driver (real time, 1/1000 scale, so jobs cost CPU rather than waiting) under autocannon, four
 * ways, side by side in one run:
 *   - instrumented: `tally serve` as shipped (recorder, online checkers, run metrics, the run's trace);
 *   - traces off: the same with OTEL_SDK_DISABLED=true;
 *   - uninstrumented: the same with its checkers off too (`--checkers off`): the service, its
 *     admission control and its history, without the instrumentation whose cost is measured;
 *   - bare: the same pool behind a plain `node:http` server, with no Tally at all.
 * Connections equal the pool's capacity, so no request queues and none is refused: what differs is
 * the work per request. Here a job mostly waits for the sim's scaled time, so the rate is bound by
 * latency rather than CPU and hides what the instrumentation costs on a busier service: the CPU the
 * serving process used per request (/proc's utime + stime, from ready to the load's end) says it.
 * Each server runs in its own process, autocannon in this one; the order of the four alternates
 * between repetitions and the medians are reported. Last line: one JSON object.
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
import { readStat } from '../os/proc.ts';
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

type Variant = 'instrumented' | 'tracesOff' | 'uninstrumented' | 'bare';
const VARIANTS: Variant[] = ['instrumented', 'tracesOff', 'uninstrumented', 'bare'];

/** `folder`: this measurement's run folder (each repetition's its own). */
async function start(variant: Variant, folder: string): Promise<ServiceChild> {
  if (variant === 'bare') return spawnReady(['--import', 'tsx', BARE_SERVER, 'fixed', 'service', ...SCALE]);
  const env = { ...process.env, ...(variant === 'instrumented' ? {} : { OTEL_SDK_DISABLED: 'true' }) };
  const checkers = variant === 'uninstrumented' ? ['--checkers', 'off'] : [];
  return spawnService(['--pool', 'fixed', '--out', folder, ...checkers, ...SCALE, ...HEAP_CADENCE], env);
}

/** CPU time the process has used so far, in ms (USER_HZ ticks of 10 ms). */
function cpuMsOf(pid: number | undefined): number {
  const stat = pid === undefined ? undefined : readStat(pid);
  if (!stat) throw new Error(`the server (pid ${pid}) is gone before its load ended`);
  return stat.cpuTicks * 10;
}

interface Measured {
  figures: LoadFigures;
  /** The serving process's CPU per answered request, in µs. */
  cpuUsPerRequest: number;
}

async function measure(variant: Variant, folder: string): Promise<Measured> {
  const server = await start(variant, folder);
  try {
    const shape = { mix: [{ store: 'store-1', pages: 2, weight: 1 }], random: seededRandom(1) };
    const cpuBefore = cpuMsOf(server.child.pid);
    const figures = loadFigures(
      await driveLoad({ url: server.url, connections: CAPACITY, durationS: SECONDS, timeoutS: 30, ...shape }),
      shape,
    );
    const cpuMs = cpuMsOf(server.child.pid) - cpuBefore;
    return { figures, cpuUsPerRequest: Math.round((cpuMs * 1000) / Math.max(1, figures.requests)) };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

const out = mkdtempSync(join(tmpdir(), 'tally-service-bench-'));
const results = new Map<Variant, Measured[]>(VARIANTS.map((variant) => [variant, []]));
try {
  for (let i = 0; i < REPEAT; i++) {
    const order = i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const variant of order) {
      const measured = await measure(variant, join(out, `${variant}-${i + 1}`));
      results.get(variant)!.push(measured);
      const { figures, cpuUsPerRequest } = measured;
      console.log(
        `${variant.padEnd(14)} ${figures.requestsPerSecond} req/s, p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, 2xx ${figures.status['2xx']}, other ${figures.requests - figures.status['2xx']}, CPU ${cpuUsPerRequest} µs/request`,
      );
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

const summary = Object.fromEntries(
  VARIANTS.map((variant) => {
    const runs = results.get(variant)!.map((measured) => measured.figures);
    return [
      variant,
      {
        requestsPerSecond: round(median(runs.map((f) => f.requestsPerSecond)), 1),
        p50Ms: median(runs.map((f) => f.latencyMs.p50)),
        p99Ms: median(runs.map((f) => f.latencyMs.p99)),
        non2xx: runs.reduce((sum, f) => sum + f.requests - f.status['2xx'], 0),
        cpuUsPerRequest: median(results.get(variant)!.map((measured) => measured.cpuUsPerRequest)),
      },
    ];
  }),
) as Record<Variant, { requestsPerSecond: number; p50Ms: number; p99Ms: number; non2xx: number; cpuUsPerRequest: number }>;
const cost = (of: Variant, against: Variant) => round(100 * (1 - summary[of].requestsPerSecond / summary[against].requestsPerSecond), 1);
/** How much more CPU a request costs `of` than `against`, in percent. */
const cpuCost = (of: Variant, against: Variant) => round(100 * (summary[of].cpuUsPerRequest / summary[against].cpuUsPerRequest - 1), 1);
console.log(
  JSON.stringify({
    seconds: SECONDS,
    repeat: REPEAT,
    connections: CAPACITY,
    ...summary,
    throughputCostVsBarePercent: cost('instrumented', 'bare'),
    tracesCostPercent: cost('instrumented', 'tracesOff'),
    instrumentationCostPercent: cost('instrumented', 'uninstrumented'),
    goal: 'instrumentationCostPercent <= 5',
    instrumentationCpuCostPercent: cpuCost('instrumented', 'uninstrumented'),
    cpuCostVsBarePercent: cpuCost('instrumented', 'bare'),
  }),
);
