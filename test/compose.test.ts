/**
 * docker-compose.yml cannot run here (no Docker engine), so what it refers to is checked instead:
 * the files it mounts, the ports it publishes against the collector's, Prometheus's and Grafana's
 * configs and against Tally's defaults and docs, Grafana's provisioning against dashboards/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_METRICS_PORT } from '../harness/telemetry/metrics/metric-definitions.ts';
import { DEFAULT_OTLP_HTTP_ENDPOINT } from '../harness/telemetry/traces/trace-config.ts';
import { ROOT } from './helpers.ts';
import { needsExecutable } from './needs.ts';

type Yaml = string | Yaml[] | { [key: string]: Yaml };
type YamlMap = { [key: string]: Yaml };

/** A config file as the `yaml` package reads it, with the failsafe schema: every scalar stays a string. */
function readYaml(path: string): YamlMap {
  return parse(readFileSync(join(ROOT, path), 'utf8'), { schema: 'failsafe', prettyErrors: true }) as YamlMap;
}

/** `a.b.0.c` in a parsed document, failing with the path when it is not there. */
function at(document: Yaml, path: string): Yaml {
  let node: Yaml = document;
  for (const key of path.split('.')) {
    const next: Yaml | undefined = Array.isArray(node) ? node[Number(key)] : typeof node === 'object' ? node[key] : undefined;
    if (next === undefined) throw new Error(`missing ${path} (at ${key})`);
    node = next;
  }
  return node;
}
const str = (document: Yaml, path: string) => {
  const value = at(document, path);
  if (typeof value !== 'string') throw new Error(`${path}: expected a scalar`);
  return value;
};
const strings = (document: Yaml, path: string) => {
  const value = at(document, path);
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${path}: expected a list of scalars`);
  return value as string[];
};

const compose = readYaml('docker-compose.yml');
const services = at(compose, 'services') as YamlMap;
const collector = readYaml('deploy/otel-collector.yaml');
const prometheus = readYaml('deploy/prometheus.yml');

/** host port → container port, from "H:C" entries. */
function published(service: string): Map<string, string> {
  const ports =
    services[service] && typeof services[service] === 'object' && 'ports' in (services[service] as YamlMap)
      ? strings(services, `${service}.ports`)
      : [];
  return new Map(ports.map((entry) => entry.split(':') as [string, string]));
}

/** Volume entries `./host:/container[:ro]`. */
function mounts(service: string): { host: string; container: string }[] {
  return strings(services, `${service}.volumes`).map((entry) => {
    const [host, container] = entry.split(':');
    return { host: host!, container: container! };
  });
}

const portOf = (hostPort: string) => hostPort.slice(hostPort.lastIndexOf(':') + 1);

describe('docker-compose.yml', () => {
  it('runs Jaeger, the collector, Prometheus and Grafana, on pinned images', () => {
    expect(Object.keys(services).sort()).toEqual(['grafana', 'jaeger', 'otel-collector', 'prometheus']);
    for (const name of Object.keys(services)) expect(str(services, `${name}.image`), name).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+$/);
  });

  it('mounts files that exist', () => {
    for (const name of Object.keys(services)) {
      if (!('volumes' in (services[name] as YamlMap))) continue;
      for (const { host } of mounts(name)) expect(existsSync(join(ROOT, host)), `${name} mounts ${host}`).toBe(true);
    }
  });

  it('publishes each host port once', () => {
    const hostPorts = Object.keys(services).flatMap((name) => [...published(name).keys()]);
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it("puts the collector on the host's OTLP ports, where Tally sends traces, forwarding to Jaeger inside the network", () => {
    expect(portOf(str(collector, 'receivers.otlp.protocols.grpc.endpoint'))).toBe('4317');
    expect(portOf(str(collector, 'receivers.otlp.protocols.http.endpoint'))).toBe('4318');
    expect(published('otel-collector')).toEqual(
      new Map([
        ['4317', '4317'],
        ['4318', '4318'],
      ]),
    );
    expect(new URL(DEFAULT_OTLP_HTTP_ENDPOINT).port).toBe('4318');
    // Jaeger's own OTLP receivers stay unpublished, so they cannot clash with the collector's.
    const jaeger = str(collector, 'exporters.otlp/jaeger.endpoint');
    expect(jaeger).toBe('jaeger:4317');
    expect(services).toHaveProperty('jaeger');
    expect([...published('jaeger').keys()]).toEqual(['16686']);
    expect(strings(collector, 'service.pipelines.traces.exporters')).toContain('otlp/jaeger');
    const config = mounts('otel-collector')[0]!;
    expect(config.host).toBe('./deploy/otel-collector.yaml');
    expect(strings(services, 'otel-collector.command')).toContain(`--config=${config.container}`);
  });

  it('has Prometheus scrape `tally run --metrics-port` on the host, through host-gateway', () => {
    const [target] = strings(prometheus, 'scrape_configs.0.static_configs.0.targets');
    expect(target).toBe(`host.docker.internal:${DEFAULT_METRICS_PORT}`);
    expect(strings(services, 'prometheus.extra_hosts')).toContain('host.docker.internal:host-gateway');
    expect(str(prometheus, 'scrape_configs.0.metrics_path')).toBe('/metrics');
    const config = mounts('prometheus').find((m) => m.host === './deploy/prometheus.yml');
    expect(strings(services, 'prometheus.command')).toContain(`--config.file=${config?.container}`);
    expect(published('prometheus').get('9090')).toBe('9090');
  });

  describe.runIf(needsExecutable('/usr/bin/promtool', 'npm run services (installs Debian prometheus, which ships promtool)'))(
    'deploy/prometheus.yml',
    () => {
      it('is a valid Prometheus config', () => {
        expect(execFileSync('/usr/bin/promtool', ['check', 'config', join(ROOT, 'deploy/prometheus.yml')], { encoding: 'utf8' })).toContain(
          'SUCCESS',
        );
      });
    },
  );
});

describe('Grafana provisioning', () => {
  const provisioning = mounts('grafana').find((m) => m.container === '/etc/grafana/provisioning');
  const dashboardsMount = mounts('grafana').find((m) => m.host === './dashboards');
  const datasources = readYaml(`${provisioning?.host ?? 'missing'}/datasources/datasources.yaml`.replace(/^\.\//, ''));
  const providers = readYaml(`${provisioning?.host ?? 'missing'}/dashboards/dashboards.yaml`.replace(/^\.\//, ''));
  const byType = (type: string) => (at(datasources, 'datasources') as YamlMap[]).find((d) => d.type === type)!;

  it('loads the dashboards folder', () => {
    expect(provisioning?.host).toBe('./deploy/grafana/provisioning');
    expect(dashboardsMount).toBeDefined();
    expect(str(providers, 'providers.0.options.path')).toBe(dashboardsMount!.container);
    expect(statSync(join(ROOT, 'dashboards')).isDirectory()).toBe(true);
  });

  it('points its data sources at the services and ports of the compose file', () => {
    const prom = new URL(str(byType('prometheus'), 'url'));
    const jaeger = new URL(str(byType('jaeger'), 'url'));
    expect(services).toHaveProperty(prom.hostname);
    expect(published(prom.hostname).get(prom.port)).toBe(prom.port);
    expect(services).toHaveProperty(jaeger.hostname);
    expect(published(jaeger.hostname).get(jaeger.port)).toBe(jaeger.port);
    // $__rate_interval is worked out from the data source's scrape interval: it must be Prometheus's.
    expect(str(byType('prometheus'), 'jsonData.timeInterval')).toBe(str(prometheus, 'scrape_configs.0.scrape_interval'));
  });

  const dashboards = readdirSync(join(ROOT, 'dashboards')).filter((file) => file.endsWith('.json'));

  it('defines every data source uid the dashboards use', () => {
    const provisioned = new Set((at(datasources, 'datasources') as YamlMap[]).map((d) => str(d, 'uid')));
    expect(dashboards.length).toBeGreaterThan(0);
    for (const file of dashboards) {
      const text = readFileSync(join(ROOT, 'dashboards', file), 'utf8');
      const used = new Set<string>();
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (node === null || typeof node !== 'object') return;
        const record = node as Record<string, unknown>;
        const datasource = record.datasource as { uid?: string } | undefined;
        if (datasource?.uid && datasource.uid !== '-- Grafana --') used.add(datasource.uid);
        if (typeof record.datasourceUid === 'string') used.add(record.datasourceUid);
        Object.values(record).forEach(walk);
      };
      walk(JSON.parse(text));
      expect(used.size, file).toBeGreaterThan(0);
      for (const uid of used) expect(provisioned, `${file} uses data source ${uid}`).toContain(uid);
    }
  });

  it('links to the Jaeger UI where the compose file publishes it', () => {
    for (const file of dashboards) {
      const dashboard = JSON.parse(readFileSync(join(ROOT, 'dashboards', file), 'utf8')) as {
        templating: { list: { name: string; query: string }[] };
      };
      const jaegerUrl = dashboard.templating.list.find((v) => v.name === 'jaeger_url');
      if (jaegerUrl) expect(published('jaeger').has(new URL(jaegerUrl.query).port), file).toBe(true);
    }
  });
});

describe('the docs agree', () => {
  const docs = readFileSync(join(ROOT, 'docs/observability.md'), 'utf8');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('on the ports Tally and the stack use', () => {
    expect(docs).toContain(`--metrics-port ${DEFAULT_METRICS_PORT}`);
    for (const port of ['4317', '4318', '16686', '9090', '3000']) expect(docs, port).toContain(`localhost:${port}`);
    expect(readme).toContain('docker compose up -d');
    expect(readme).toContain('docs/observability.md');
  });

  it('on the metric names', async () => {
    const { METRICS } = await import('../harness/telemetry/metrics/metric-definitions.ts');
    for (const metric of Object.values(METRICS)) expect(docs, metric.prometheusName).toContain(`\`${metric.prometheusName}\``);
  });
});
