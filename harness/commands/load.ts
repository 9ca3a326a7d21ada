import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { driverNamed } from '../drivers/catalogue.ts';
import { InputError } from '../errors.ts';
import { driveLoad } from '../load/drive-load.ts';
import { type RunningService, startProfiled, startService } from '../load/launch-service.ts';
import { type LoadFigures, loadFigures, loadLine, loadMarkdown, shapeLine } from '../load/load-figures.ts';
import { loadShapeOf, loadSpan } from '../load/load-shape.ts';
import type { ProfileTool } from '../load/profile.ts';
import { startSupervised } from '../load/supervise.ts';
import { writeSupervisedReport } from '../load/supervised-report.ts';
import { loadPool } from '../pool/load-pool.ts';
import { rewriteReportHtml } from '../report/html/run-page-files.ts';
import { profileMarkdown } from '../report/profile-section.ts';
import type { ProfileOutcome } from '../report/report-json.ts';
import { onInterrupt } from '../runner/interrupt.ts';
import { newRunFolder, refuseEarlierRun } from '../runner/run-folder.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { scenarioForDriver } from '../scenario/scenario-for-driver.ts';
import { defaultOutDir } from './execute-run.ts';
import { loadRunning } from './load-running.ts';
import type { ScenarioArgs } from './scenario-args.ts';

export interface LoadArgs extends ScenarioArgs {
  /** A service already running: load it instead of starting one. */
  url: string | undefined;
  connections: number | undefined;
  durationS: number | undefined;
  /** `--requests N`: send N requests and stop once they are answered, instead of a duration. */
  requests: number | undefined;
  pages: number | undefined;
  /** `--profile`: the service runs under this clinic tool. */
  profile: ProfileTool | undefined;
  /** `--memory-limit`: the service's heap limit in MB, under a supervisor that restarts it when it dies. */
  memoryLimitMB: number | undefined;
}

/**
 * `tally load [scenario]`: starts `tally serve` with the scenario in a process of its own, loads it
 * with autocannon in the scenario's shape (its concurrency as connections, its duration at its time
 * scale, its `load` rate and request mix) while the scenario's faults strike the service's browsers
 * (played by the service's own nemesis: same process, same clock, exact), then stops it with
 * SIGTERM: the service writes the run's report, and the load's figures join it. The exit code is
 * the run's verdict. With `--url` it loads a running service, playing the faults over its admin
 * channel, and reports the load alone.
 */
export async function loadCommand(args: LoadArgs): Promise<number> {
  const driver = driverNamed(args.driver);
  const loaded = await loadScenario(args.scenario ?? 'service', args.set);
  const scenario = scenarioForDriver(loaded.scenario, driver);
  const seed = args.seed ?? scenario.seed;
  const shape = loadShapeOf(scenario, args, seed);
  const interrupt = onInterrupt();
  try {
    if (args.url !== undefined) return await loadRunning(checkUrl(args.url), loaded.scenario, driver, shape, seed, interrupt.signal);
    if (args.profile && args.memoryLimitMB !== undefined)
      throw new InputError('--profile and --memory-limit: one at a time (a service clinic profiles is not restarted)');
    const pool = await loadPool(args.pool);
    // Refused here, before the service starts, rather than by the service once it is up.
    if (args.out !== undefined && !args.force) refuseEarlierRun(args.out);
    // Absolute: under a profiler the service runs in its run folder.
    const out = resolve(args.out ?? newRunFolder(defaultOutDir(scenario.name, pool.name, driver, seed, args.set)));
    const poolArg = ['legacy', 'fixed'].includes(args.pool) ? args.pool : resolve(args.pool);
    const serveArgs = [resolve(loaded.path), '--pool', poolArg, '--driver', driver, '--seed', String(seed)];
    if (args.force) serveArgs.push('--force');
    for (const assignment of args.set) serveArgs.push('--set', assignment);
    const { service, profileMissing } = await launch(serveArgs, out, args);
    // Whatever happens here, the service is stopped: it must not outlive the load.
    interrupt.signal.addEventListener('abort', service.stop, { once: true });
    let figures: LoadFigures;
    try {
      const profiled = args.profile && !profileMissing ? `, under clinic ${args.profile}` : '';
      console.log(`loading ${service.url} with ${shape.connections} connections ${loadSpan(shape)} (${args.pool} on ${driver}${profiled})`);
      figures = loadFigures(await driveLoad({ ...shape, url: service.url, signal: interrupt.signal }), shape);
    } finally {
      service.stop();
    }
    const end = await service.ended;
    process.stdout.write(
      end.stdout
        .split('\n')
        .filter((line) => !/^(listening on|ready:) /.test(line))
        .join('\n'),
    );
    if (args.memoryLimitMB !== undefined) {
      const whole = await writeSupervisedReport(out, figures);
      console.log(loadLine(figures));
      console.log(whole.line);
      console.log(`${whole.verdict.verdict.toUpperCase()}: ${whole.verdict.why}\n  ${join(out, 'report.md')}`);
      return whole.verdict.code;
    }
    if (end.verdict === null) {
      process.stderr.write(end.stderr);
      console.log(`the service exited with ${end.exit.code ?? end.exit.signal}: no verdict`);
      return 2;
    }
    const profile = profileMissing ?? end.profile;
    await addToReport(out, figures, profile);
    console.log(loadLine(figures));
    console.log(shapeLine(figures));
    if (profile) console.log(profileLine(out, profile));
    return end.verdict;
  } finally {
    interrupt.dispose();
  }
}

/**
 * The service, under clinic when a profile is asked for. A clinic that fails before the service is
 * ready costs the profile, not the run: the service then starts without it, and the report says why.
 */
async function launch(
  args: string[],
  out: string,
  { profile, memoryLimitMB }: Pick<LoadArgs, 'profile' | 'memoryLimitMB'>,
): Promise<{ service: RunningService; profileMissing?: ProfileOutcome }> {
  if (memoryLimitMB !== undefined) return { service: await startSupervised(args, out, memoryLimitMB) };
  const serveArgs = [...args, '--out', out];
  if (!profile) return { service: await startService(serveArgs) };
  try {
    return { service: await startProfiled(profile, serveArgs, out) };
  } catch (error) {
    const missing = (error as Error).message;
    console.log(`no profile: ${missing}; the service runs without clinic`);
    // The folder is this run's: what the failed start wrote in it is replaced.
    const again = serveArgs.includes('--force') ? serveArgs : [...serveArgs, '--force'];
    return { service: await startService(again), profileMissing: { tool: profile, missing } };
  }
}

function profileLine(out: string, profile: ProfileOutcome): string {
  return profile.html ? `profile: clinic ${profile.tool}: ${join(out, profile.html)}` : `no profile: ${profile.missing}`;
}

/** The load's figures join the run's report.json (as `load`) and report.md; the profile, or why there is none, all three reports. */
async function addToReport(outDir: string, figures: LoadFigures, profile: ProfileOutcome | undefined): Promise<void> {
  const jsonPath = join(outDir, 'report.json');
  const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(jsonPath, `${JSON.stringify({ ...report, load: figures, ...(profile ? { profile } : {}) }, null, 2)}\n`);
  const mdPath = join(outDir, 'report.md');
  const sections = [loadMarkdown(figures), ...(profile ? [profileMarkdown(profile)] : [])];
  writeFileSync(mdPath, `${readFileSync(mdPath, 'utf8').trimEnd()}\n\n${sections.join('\n')}`);
  if (profile) await rewriteReportHtml(outDir);
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
