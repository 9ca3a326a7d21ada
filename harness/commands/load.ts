import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driverNamed } from '../drivers/catalogue.ts';
import { InputError } from '../errors.ts';
import { driveLoad } from '../load/drive-load.ts';
import { type LoadFigures, loadFigures, loadLine, loadMarkdown } from '../load/load-figures.ts';
import { spawnService } from '../load/spawn-service.ts';
import { loadPool } from '../pool/load-pool.ts';
import { onInterrupt } from '../runner/interrupt.ts';
import { newRunFolder, refuseEarlierRun } from '../runner/run-folder.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { scenarioForDriver } from '../scenario/scenario-for-driver.ts';
import { defaultOutDir } from './execute-run.ts';
import type { ScenarioArgs } from './scenario-args.ts';

export interface LoadArgs extends ScenarioArgs {
  /** A service already running: load it instead of starting one. */
  url: string | undefined;
  connections: number | undefined;
  durationS: number | undefined;
  pages: number | undefined;
}

/** A request autocannon gives up on: longer than any job of the shipped scenarios at their time scale. */
const REQUEST_TIMEOUT_S = 60;

/**
 * `tally load [scenario]`: starts `tally serve` with the scenario in a process of its own, loads it
 * with autocannon in the scenario's shape (its concurrency as connections, its duration at its time
 * scale, its pages per job) while the scenario's faults strike the service's browsers, then stops it
 * with SIGTERM: the service writes the run's report, and the load's figures join it. The exit code
 * is the run's verdict. With `--url` it loads a running service and reports the load alone.
 */
export async function loadCommand(args: LoadArgs): Promise<number> {
  const driver = driverNamed(args.driver);
  const loaded = await loadScenario(args.scenario ?? 'service', args.set);
  const scenario = scenarioForDriver(loaded.scenario, driver);
  const shape = {
    connections: args.connections ?? scenario.workload.concurrency,
    durationS: args.durationS ?? Math.max(1, Math.round((scenario.durationMs * scenario.real.timeScale) / 1000)),
    body: { store: 'store-1', pages: args.pages ?? scenario.workload.pagesPerJob },
    timeoutS: REQUEST_TIMEOUT_S,
    ...(process.env.TALLY_TOKEN ? { headers: { authorization: `Bearer ${process.env.TALLY_TOKEN}` } } : {}),
  };
  const interrupt = onInterrupt();
  try {
    if (args.url !== undefined) {
      const figures = loadFigures(await driveLoad({ ...shape, url: checkUrl(args.url), signal: interrupt.signal }));
      console.log(loadLine(figures));
      console.log("  the verdict is the running service's own: stop it (SIGTERM) for its report");
      return 2;
    }
    const pool = await loadPool(args.pool);
    const seed = args.seed ?? scenario.seed;
    // Refused here, before the service starts, rather than by the service once it is up.
    if (args.out !== undefined && !args.force) refuseEarlierRun(args.out);
    const out = args.out ?? newRunFolder(defaultOutDir(scenario.name, pool.name, driver, seed, args.set));
    const serveArgs = [loaded.path, '--pool', args.pool, '--driver', driver, '--out', out, '--seed', String(seed)];
    if (args.force) serveArgs.push('--force');
    for (const assignment of args.set) serveArgs.push('--set', assignment);
    const service = await spawnService(serveArgs);
    // Whatever happens here, the service is stopped: it must not outlive the load.
    const stop = () => service.child.kill('SIGTERM');
    interrupt.signal.addEventListener('abort', stop, { once: true });
    let figures: LoadFigures;
    try {
      console.log(`loading ${service.url} with ${shape.connections} connections for ${shape.durationS} s (${args.pool} on ${driver})`);
      figures = loadFigures(await driveLoad({ ...shape, url: service.url, signal: interrupt.signal }));
    } finally {
      stop();
    }
    const { code } = await service.exited;
    const { stdout, stderr } = service.output();
    process.stdout.write(
      stdout
        .split('\n')
        .filter((line) => !/^(listening on|ready:) /.test(line))
        .join('\n'),
    );
    if (code !== 0 && code !== 1) {
      process.stderr.write(stderr);
      console.log(`the service exited with ${code}: no verdict`);
      return 2;
    }
    addToReport(out, figures);
    console.log(loadLine(figures));
    return code;
  } finally {
    interrupt.dispose();
  }
}

/** The load's figures join the run's report.json (as `load`) and report.md. */
function addToReport(outDir: string, figures: LoadFigures): void {
  const jsonPath = join(outDir, 'report.json');
  const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(jsonPath, `${JSON.stringify({ ...report, load: figures }, null, 2)}\n`);
  const mdPath = join(outDir, 'report.md');
  writeFileSync(mdPath, `${readFileSync(mdPath, 'utf8').trimEnd()}\n\n${loadMarkdown(figures)}`);
}

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`--url ${text}: not a URL (expected the service's base, e.g. http://127.0.0.1:3000)`);
  }
  if (url.protocol !== 'http:') throw new InputError(`--url ${text}: expected an http:// URL`);
  return url.origin;
}
