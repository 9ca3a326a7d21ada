import { driverNamed } from '../drivers/catalogue.ts';
import { InputError } from '../errors.ts';
import { loadPool } from '../pool/load-pool.ts';
import { onInterrupt } from '../runner/interrupt.ts';
import { newRunFolder } from '../runner/run-folder.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import type { Scenario } from '../scenario/schema.ts';
import { checkBind } from '../service/bind.ts';
import { sendError } from '../service/respond.ts';
import { listen } from '../service/server.ts';
import { type FaultsFrom, Service, type ServiceLimits } from '../service/service.ts';
import { startServiceTracing } from '../service/service-tracing.ts';
import { createMetricsObserver } from '../telemetry/metrics/metrics-observer.ts';
import type { StartWorkload } from '../workload/workload.ts';
import { defaultOutDir, executeRun } from './execute-run.ts';
import { printRunSummary } from './run.ts';
import { parsePortNumber } from './run-command-metrics.ts';
import type { ScenarioArgs } from './scenario-args.ts';

/** The scenario gives the pool's config, the time scale and the faults. */
export interface ServeArgs extends ScenarioArgs {
  host: string;
  port: number;
  /** Who plays the scenario's faults: the service's own nemesis, or a caller over `POST /admin/faults` alone. */
  faults: FaultsFrom;
  /** Service limits given on the command line; the rest follow from the scenario. */
  limits: Partial<ServiceLimits>;
  /** `--checkers off`: the history is recorded but not judged while serving (`tally check` judges it). */
  checkers: boolean;
}

const DEFAULT_PORT = 3000;
const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * `tally serve`: the pool behind HTTP, in this process, with the run's machinery around it (the
 * recorder, the online checkers, the ground truth, the history streamed into the run folder).
 * SIGTERM drains it; then the pool is closed and the report written, and the exit code is the verdict.
 */
export async function serveCommand(args: ServeArgs): Promise<number> {
  // Said before anything is loaded or started: a bind that is not safe is bad input.
  checkBind(args.host, process.env.TALLY_TOKEN);
  const driver = driverNamed(args.driver);
  const loaded = await loadScenario(args.scenario ?? 'service', args.set);
  const pool = await loadPool(args.pool);
  const seed = args.seed ?? loaded.scenario.seed;
  const out = args.out ?? newRunFolder(defaultOutDir(loaded.scenario.name, pool.name, driver, seed, args.set));
  const service = new Service(limitsFor(loaded.scenario, args.limits), args.faults, args.checkers);
  const runMetrics = await createMetricsObserver();
  const server = await listen(
    { host: args.host, port: args.port, token: process.env.TALLY_TOKEN },
    { service, runMetrics: runMetrics.render },
  );
  // The instrumentation patches the server prototype, so the server already listening is traced too.
  const tracing = startServiceTracing();
  console.log(`listening on ${server.url} (starting the pool: ${args.pool} on ${driver})`);
  const interrupt = onInterrupt();
  interrupt.signal.addEventListener('abort', () => service.drain(), { once: true });
  const workload: StartWorkload = (context) => {
    const started = service.workload(context);
    console.log(`ready: POST ${server.url}/jobs {"store":"store-1","pages":2}; history streams to ${out}/history.ndjson`);
    return started;
  };
  try {
    const { report, outDir } = await executeRun({
      scenario: loaded,
      pool: args.pool,
      driver,
      seed,
      out,
      ...(args.force ? { force: true } : {}),
      overrides: args.set,
      workload,
      faults: { schedule: service.faultsFrom === 'scenario', ready: service.faultsReady },
      ...(service.checkers ? {} : { checks: false }),
      observers: [runMetrics, service.violations],
    });
    printRunSummary(report, outDir);
    return report.verdict.code;
  } finally {
    // The run is over (the pool closed, or the run failed): a request still open gets its answer now.
    service.stop((response) => sendError(response, 503, 'the service stopped before this job finished'));
    await server.close();
    await tracing.shutdown();
    interrupt.dispose();
  }
}

/** The limits: capacity from the pool's maxBrowsers; waits long enough for the scenario's watchdog at its time scale. */
function limitsFor(scenario: Scenario, given: Partial<ServiceLimits>): ServiceLimits {
  const { maxBrowsers, watchdogMs, jitterMs } = scenario.pool;
  const realMs = (scenarioMs: number) => Math.ceil(scenarioMs * scenario.real.timeScale);
  return {
    capacity: maxBrowsers,
    queueLimit: given.queueLimit ?? 2 * maxBrowsers,
    queueWaitMs: given.queueWaitMs ?? 5_000,
    // A job the watchdog gives up on has settled by then; one still open later is stuck in the pool.
    jobTimeoutMs: given.jobTimeoutMs ?? realMs(2 * (watchdogMs + jitterMs)) + 10_000,
    drainMs: given.drainMs ?? 30_000,
    bodyLimitBytes: BODY_LIMIT_BYTES,
  };
}

/** `--faults scenario|admin` (default scenario). */
export function parseFaultsFrom(text: string | undefined): FaultsFrom {
  if (text === undefined || text === 'scenario' || text === 'admin') return text ?? 'scenario';
  throw new InputError(
    `--faults ${text}: expected scenario (the service plays its scenario's faults) or admin (only POST /admin/faults strikes)`,
  );
}

/** `--port`: 0 picks a free port (printed on the first line). */
export function parsePort(text: string | undefined): number {
  return text === undefined ? DEFAULT_PORT : parsePortNumber('--port', text);
}

/** `--queue`, `--queue-wait-ms`, `--job-timeout-ms`, `--drain-ms`: whole numbers, the queue may be 0. */
export function parseLimit(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const least = flag === '--queue' ? 0 : 1;
  if (text.trim() === '' || !Number.isInteger(value) || value < least)
    throw new InputError(`${flag} ${text}: expected a whole number, ${least} or more`);
  return value;
}

/** `--checkers on|off`: on unless said otherwise. */
export function parseCheckers(value: string | undefined): boolean {
  if (value === undefined || value === 'on') return true;
  if (value === 'off') return false;
  throw new InputError(`--checkers ${value}: expected on (the default) or off (the history is judged later, by tally check)`);
}
