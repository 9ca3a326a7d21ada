import { parseArgs } from 'node:util';
import { checkCommand } from './commands/check.ts';
import { compareCommand } from './commands/compare.ts';
import { demoCommand } from './commands/demo.ts';
import { exportTracesCommand } from './commands/export-traces.ts';
import { leaksCommand } from './commands/leaks.ts';
import { loadCommand } from './commands/load.ts';
import { runCommand } from './commands/run.ts';
import { parseMetricsArgs } from './commands/run-command-metrics.ts';
import type { ScenarioArgs } from './commands/scenario-args.ts';
import { parseCheckers, parseFaultsFrom, parseLimit, parsePort, serveCommand } from './commands/serve.ts';
import { InputError } from './errors.ts';
import { parseProfile } from './load/profile.ts';
import { displayPath, listScenarioFiles } from './scenario/load-scenario.ts';

const USAGE = `tally: invariant checking for browser pools under scripted faults

usage:
  tally run <scenario> [--scenarios DIR] [--pool legacy|fixed|./my-pool.ts] [--driver sim|chromium|firefox|camoufox] [--seed N] [--out DIR [--force]] [--set key=value]... [--pace X] [--quiet]
            [--heap-snapshots [--keep-snapshots]]   heap snapshots after warm-up, after the faults and after close, analysed for leaks; removed once analysed unless kept (docs/leaks.md)
            [--metrics-port N [--metrics-hold SECONDS] [--metrics-host ADDR]]   serve Prometheus metrics at http://127.0.0.1:N/metrics
  tally serve [scenario] [--pool legacy|fixed|./my-pool.ts] [--driver sim|chromium|firefox|camoufox] [--port N] [--host ADDR] [--out DIR [--force]]
            [--queue N] [--queue-wait-ms MS] [--job-timeout-ms MS] [--drain-ms MS] [--seed N] [--set key=value]...
            [--faults scenario|admin]   who plays the scenario's faults: the service itself (default) or a caller over POST /admin/faults (tally load --url)
            [--checkers on|off]   off: the history is recorded but not judged while serving (less work per event); the verdict is undecided until tally check
            the pool behind HTTP (POST /jobs, /healthz, /readyz, /metrics, /state, /violations, POST /admin/faults); SIGTERM drains it and writes the report (docs/service.md)
  tally load [scenario] [--pool …] [--driver …] [--connections N] [--duration SECONDS | --requests N] [--pages N] [--out DIR [--force]] [--seed N] [--set key=value]...
            [--url URL]   load a running service instead, striking the scenario's faults over its admin channel (docs/service.md)
            [--profile doctor|flame|heapprofiler]   the service runs under clinic; its page lands in the run folder, linked from the report
            [--memory-limit MB]   the service under a heap limit, restarted when it dies; the report counts OOM deaths and restarts
  tally compare <run-before> <run-after> [--html [--out FILE]]   the before/after table; --html: one self-contained page (default compare.html)
  tally check <run-folder | history.ndjson>
  tally leaks <run-folder>   leak clusters of the pool from the run's heap snapshots (leaks.json, leaks.md)
  tally demo [--out DIR] [--seed N]
  tally export-traces <run-folder> [--endpoint URL]   POST the run's traces.otlp.json to URL/v1/traces (default: OTEL_EXPORTER_OTLP_ENDPOINT, else http://127.0.0.1:4318)
  tally list [--scenarios DIR]   the scenarios a bare name finds (default: the project's scenarios/, from any folder)

run folders: each run gets a new reports/runs/<scenario>/<pool>[-<driver>]-seed<N>/<start time>/ and latest/ beside it names the newest;
  --out DIR that holds an earlier run is refused unless --force

exit codes: 0 every invariant held, 1 violations found, 2 could not decide (bad input, error, timeout, interrupted)`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      pool: { type: 'string', default: 'fixed' },
      driver: { type: 'string', default: 'sim' },
      pace: { type: 'string' },
      'metrics-port': { type: 'string' },
      'metrics-hold': { type: 'string' },
      'metrics-host': { type: 'string' },
      endpoint: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      scenarios: { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      quiet: { type: 'boolean', default: false },
      'heap-snapshots': { type: 'boolean', default: false },
      'keep-snapshots': { type: 'boolean', default: false },
      html: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      queue: { type: 'string' },
      'queue-wait-ms': { type: 'string' },
      'job-timeout-ms': { type: 'string' },
      'drain-ms': { type: 'string' },
      url: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      pages: { type: 'string' },
      profile: { type: 'string' },
      'memory-limit': { type: 'string' },
      faults: { type: 'string' },
      checkers: { type: 'string' },
      requests: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  /** What run, serve and load share: one scenario, the pool, the driver, the seed, the folder, the overrides. */
  const scenarioArgs = (): ScenarioArgs => {
    if (rest.length > 1) throw new InputError(`${command}: one scenario at a time (got ${rest.join(', ')})`);
    return {
      scenario: rest[0],
      pool: values.pool!,
      driver: values.driver!,
      seed,
      out: values.out,
      force: values.force!,
      scenarios: values.scenarios,
      set: values.set!,
    };
  };
  switch (command) {
    case 'run':
      return runCommand({
        ...scenarioArgs(),
        quiet: values.quiet!,
        pace: values.pace === undefined ? undefined : parsePace(values.pace),
        heapSnapshots: values['heap-snapshots']!,
        keepSnapshots: values['keep-snapshots']!,
        metrics: parseMetricsArgs(values['metrics-port'], values['metrics-hold'], values['metrics-host']),
      });
    case 'serve':
      return serveCommand({
        ...scenarioArgs(),
        host: values.host!,
        port: parsePort(values.port),
        faults: parseFaultsFrom(values.faults),
        checkers: parseCheckers(values.checkers),
        limits: definedOnly({
          queueLimit: parseLimit('--queue', values.queue),
          queueWaitMs: parseLimit('--queue-wait-ms', values['queue-wait-ms']),
          jobTimeoutMs: parseLimit('--job-timeout-ms', values['job-timeout-ms']),
          drainMs: parseLimit('--drain-ms', values['drain-ms']),
        }),
      });
    case 'load':
      return loadCommand({
        ...scenarioArgs(),
        url: values.url,
        connections: parseLimit('--connections', values.connections),
        durationS: parseLimit('--duration', values.duration),
        requests: parseLimit('--requests', values.requests),
        pages: parseLimit('--pages', values.pages),
        profile: parseProfile(values.profile),
        memoryLimitMB: parseLimit('--memory-limit', values['memory-limit']),
      });
    case 'compare':
      return compareCommand(rest, { html: values.html!, out: values.out });
    case 'check':
      return checkCommand(rest);
    case 'leaks':
      return leaksCommand(rest);
    case 'export-traces':
      return exportTracesCommand(rest, values.endpoint);
    case 'demo':
      return demoCommand({ out: values.out ?? 'reports/demo', seed });
    case 'list':
      for (const file of listScenarioFiles(values.scenarios)) console.log(displayPath(file));
      return 0;
    default:
      throw new InputError(`unknown command '${command}'\n\n${USAGE}`);
  }
}

function definedOnly<T extends object>(values: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<{
    [K in keyof T]: Exclude<T[K], undefined>;
  }>;
}

function parsePace(text: string): number {
  const pace = Number(text);
  if (!(pace > 0) || !Number.isFinite(pace))
    throw new InputError(`--pace ${text}: expected a positive number (scenario seconds per real second)`);
  return pace;
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0) throw new InputError(`--seed ${text}: expected a non-negative integer`);
  return seed;
}

/** Bad input is exit 2 with a message that names what is wrong; anything else is a crash, also 2. */
export async function runCli(argv: string[]): Promise<void> {
  // `tally ... | head`: a reader that stops early is no error; the run's files are already written.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    const known = error instanceof InputError || String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_');
    process.stderr.write(`tally: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`);
    process.exitCode = 2;
  }
}
