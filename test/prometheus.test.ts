/**
 * The dashboards against a real Prometheus scraping real `tally run`s: every PromQL expression of
 * every panel, annotation and variable of dashboards/*.json must return data, the labels the
 * panels' trace links use must be on what they return, and the final values Prometheus scraped
 * must be the run's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyEvent } from '../harness/history/events.ts';
import { ROOT, tempDir } from './helpers.ts';
import { needsExecutable } from './needs.ts';

const PROMETHEUS = '/usr/bin/prometheus';
/** What Grafana makes of $__rate_interval at a 1 s scrape interval: four scrapes. */
const RATE_INTERVAL = '4s';

interface PromSeries {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

interface Expression {
  where: string;
  promql: string;
  /** Labels the expression's trace links read from each series (`${__field.labels.X}`). */
  linkLabels: string[];
  /** For a `label_values(selector, label)` variable: the label the selector's series must carry. */
  variableLabel?: string;
}

/** Every PromQL expression of a dashboard, with the dashboard's variables and macros replaced as Grafana would for "All". */
function expressionsOf(file: string): Expression[] {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as {
    panels?: { title: string; targets?: { expr?: string }[]; fieldConfig?: { defaults?: { links?: unknown[] } } }[];
    annotations?: { list?: { name: string; expr?: string }[] };
    templating?: { list?: { name: string; type: string; query?: string | { query?: string } }[] };
  };
  const found: Expression[] = [];
  for (const panel of dashboard.panels ?? []) {
    const linkLabels = [...JSON.stringify(panel.fieldConfig?.defaults?.links ?? []).matchAll(/\$\{__field\.labels\.(\w+)\}/g)].map(
      (m) => m[1]!,
    );
    for (const target of panel.targets ?? [])
      if (target.expr)
        found.push({ where: `panel "${panel.title}"`, promql: substitute(target.expr), linkLabels: [...new Set(linkLabels)] });
  }
  for (const annotation of dashboard.annotations?.list ?? [])
    if (annotation.expr) found.push({ where: `annotation "${annotation.name}"`, promql: substitute(annotation.expr), linkLabels: [] });
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
    const labelValues = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
    if (!labelValues)
      throw new Error(`${file}: variable ${variable.name}: only label_values(selector, label) is understood here, got ${query}`);
    found.push({
      where: `variable $${variable.name}`,
      promql: substitute(labelValues[1]!),
      linkLabels: [],
      variableLabel: labelValues[2]!,
    });
  }
  return found;
}

function substitute(expr: string): string {
  return expr.replaceAll('$__rate_interval', RATE_INTERVAL).replace(/\$\{?(scenario|pool|seed)\}?/g, '.*');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

interface TallyRun {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
  out: string;
}

function tallyRun(args: string[]): TallyRun {
  const out = tempDir('tally-prom-run-');
  const child = spawn(process.execPath, [join(ROOT, 'bin/tally.js'), 'run', ...args, '--out', out, '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, stderr: () => stderr, out };
}

describe.runIf(needsExecutable(PROMETHEUS, 'npm run services (installs Debian prometheus)'))('dashboards against a real Prometheus', () => {
  const dir = tempDir('tally-prometheus-');
  const targetsFile = join(dir, 'targets.json');
  let prometheus: ChildProcess | undefined;
  let api = '';
  let startedAt = 0;
  const runs: TallyRun[] = [];
  let paced: TallyRun;
  let storm: TallyRun;

  async function query(path: string, params: Record<string, string>): Promise<PromSeries[]> {
    const response = await fetch(`${api}${path}?${new URLSearchParams(params)}`);
    const body = (await response.json()) as { status: string; error?: string; data: { result: PromSeries[] } };
    if (body.status !== 'success') throw new Error(`${params.query}: ${body.error}`);
    return body.data.result;
  }
  const range = (promql: string) =>
    query('/api/v1/query_range', { query: promql, start: String(startedAt / 1000), end: String(Date.now() / 1000), step: '1' });
  const instant = (promql: string) => query('/api/v1/query', { query: promql });

  beforeAll(async () => {
    writeFileSync(targetsFile, '[]');
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    // JSON is YAML: Prometheus reads this config as it is.
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: [{ job_name: 'tally', scrape_interval: '1s', file_sd_configs: [{ files: [targetsFile], refresh_interval: '1s' }] }],
    };
    writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    await waitFor('Prometheus to be ready', 20_000, async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined));
    startedAt = Date.now();

    // Prometheus scrapes the runs' ports from the moment they come up: their first seconds count.
    const ports = [await freePort(), await freePort()];
    writeFileSync(targetsFile, JSON.stringify([{ targets: ports.map((p) => `127.0.0.1:${p}`) }]));
    await waitFor('Prometheus to pick up the targets', 20_000, async () => {
      const body = (await (await fetch(`${api}/api/v1/targets`)).json()) as { data: { activeTargets: unknown[] } };
      return body.data.activeTargets.length === ports.length ? true : undefined;
    });
    // A paced run, so the dashboards have something that moves (windowed faults, rates, latencies),
    // and the bench's unpaced storm that is over in a moment: only the hold lets Prometheus see it.
    paced = tallyRun([
      'scenarios/watchdog-timeout.scenario.ts',
      '--pool',
      'legacy',
      '--pace',
      '300',
      '--metrics-port',
      String(ports[0]),
      '--metrics-hold',
      '3',
    ]);
    storm = tallyRun([
      'scenarios/watchdog-storm.scenario.ts',
      '--pool',
      'legacy',
      '--metrics-port',
      String(ports[1]),
      '--metrics-hold',
      '4',
    ]);
    runs.push(paced, storm);
    const codes = await Promise.all(runs.map((run) => run.exit));
    expect(codes, runs.map((run) => run.stderr()).join('\n')).toEqual([1, 1]); // legacy: violations
    for (const [i, port] of ports.entries()) expect(runs[i]!.stderr()).toContain(`metrics: http://127.0.0.1:${port}/metrics`);
  }, 90_000);

  afterAll(async () => {
    for (const run of runs) if (run.child.exitCode === null) run.child.kill('SIGKILL');
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
  });

  const dashboards = readdirSync(join(ROOT, 'dashboards')).filter((file) => file.endsWith('.json'));

  it('has dashboards to check', () => {
    expect(dashboards.length).toBeGreaterThan(0);
  });

  it('returns data for every expression of every panel, annotation and variable', async () => {
    let checked = 0;
    for (const file of dashboards) {
      for (const expression of expressionsOf(join(ROOT, 'dashboards', file))) {
        const result = await range(expression.promql);
        const label = `${file} ${expression.where}: ${expression.promql}`;
        expect(result.length, `${label} returned no series`).toBeGreaterThan(0);
        for (const series of result) {
          for (const name of expression.linkLabels)
            expect(series.metric[name], `${label}: its trace links read label ${name}, which a series lacks`).toBeDefined();
        }
        if (expression.variableLabel) {
          const values = new Set(result.map((series) => series.metric[expression.variableLabel!]));
          expect(values.has(undefined), `${label}: a series lacks ${expression.variableLabel}`).toBe(false);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('offers both runs in the scenario variable', async () => {
    const scenarios = new Set(
      (await instant('count by (tally_scenario) (last_over_time(tally_pool_browsers[5m]))')).map((s) => s.metric.tally_scenario),
    );
    expect(scenarios).toEqual(new Set(['watchdog-timeout', 'watchdog-storm']));
  });

  it("scraped the storm's final values: those of its history and report", async () => {
    const events = readFileSync(join(storm.out, 'history.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AnyEvent);
    const report = JSON.parse(readFileSync(join(storm.out, 'report.json'), 'utf8')) as { invariants: Record<string, number> };
    const last = async (promql: string) => {
      const [series] = await instant(`last_over_time(${promql}[5m])`);
      return series === undefined ? undefined : Number(series.value![1]);
    };
    const selector = 'tally_scenario="watchdog-storm"';
    expect(await last(`tally_watchdog_fires_total{${selector}}`)).toBe(events.filter((e) => e.kind === 'pool.watchdog').length);
    expect(await last(`tally_history_events_total{${selector}}`)).toBe(events.length);
    for (const [invariant, count] of Object.entries(report.invariants))
      expect(await last(`tally_violations_total{${selector}, tally_invariant="${invariant}"}`), invariant).toBe(count);
  });

  it('saw windowed faults in effect while the paced run played', async () => {
    const active = await range('max_over_time(tally_faults_active{tally_scenario="watchdog-timeout", tally_fault_kind="hang"}[1m])');
    expect(Math.max(...active.flatMap((s) => s.values!.map(([, v]) => Number(v))))).toBeGreaterThanOrEqual(1);
  });
});
