import { Counter, Gauge, prometheusContentType, Registry } from 'prom-client';
import { DRIVER, FAULT, JOB, SEMCONV, VIOLATION } from '../attributes.ts';
import { METRICS, type MetricDefinition } from './metric-definitions.ts';
import { prometheusLabel as label } from './prometheus-name.ts';
import type { RunMetrics } from './run-metrics.ts';

/** The Prometheus text exposition format's content type (version 0.0.4). */
export const EXPOSITION_CONTENT_TYPE = prometheusContentType;

type Labels = Readonly<Record<string, string>>;
type Sample = readonly [Labels, number];

/** The service the run's traces are reported as by default (OTEL_SERVICE_NAME unset). */
const SERVICE_NAME = 'tally';

/** A family of series and where its samples come from at scrape time; no samples, no family. */
interface Family {
  name: string;
  metric: Gauge | Counter;
  samples(): readonly Sample[];
}

export interface RunExposition {
  /** prom-client's registry of the run's metrics: a service can merge its own with it. */
  readonly registry: Registry;
  /** The page as a scraper gets it now. */
  render(): Promise<string>;
}

/**
 * The run's metrics as a prom-client registry, read from the run's folded numbers at scrape time
 * (so following a run costs nothing per event but the fold). Every series carries the run's
 * identity (scenario, pool, driver, seed, run id) as labels, so one Prometheus can tell runs apart
 * and a dashboard can filter and link by them; `target_info` carries it too, as OpenTelemetry puts
 * a resource there. Before `run.start` nothing is known about the run and the page is empty.
 */
export function runExposition(metrics: RunMetrics): RunExposition {
  const registry = new Registry();
  const view = label(DRIVER.view);
  const outcome = label(JOB.outcome);
  const fault = label(FAULT.kind);
  const families: Family[] = [
    family({ prometheusName: 'target_info', kind: 'gauge', description: 'Target metadata' }, [label(SEMCONV.serviceName)], () => [
      [{ [label(SEMCONV.serviceName)]: SERVICE_NAME }, 1],
    ]),
    family(METRICS.poolCounter, [], () => [[{}, metrics.counter]]),
    family(METRICS.poolSessions, [], () => [[{}, metrics.sessions]]),
    family(METRICS.poolLocks, [], () => [[{}, metrics.locks]]),
    family(METRICS.browsersAlive, [view], () => [
      [{ [view]: 'driver' }, metrics.browsersDriver],
      ...optional({ [view]: 'os' }, metrics.browsersOs),
    ]),
    family(METRICS.osProcesses, [], () => optional({}, metrics.processesOs)),
    family(METRICS.memoryUsage, [view], () => [
      ...optional({ [view]: 'driver' }, metrics.memoryDriverBytes),
      ...optional({ [view]: 'os' }, metrics.memoryOsBytes),
    ]),
    family(METRICS.violations, [label(VIOLATION.invariant)], () => byLabel(label(VIOLATION.invariant), metrics.violations)),
    family(METRICS.watchdogFires, [], () => [[{}, metrics.watchdogFires]]),
    family(METRICS.browserCloses, [], () => [[{}, metrics.browserCloses]]),
    family(METRICS.jobsStarted, [], () => [[{}, metrics.jobsStarted]]),
    family(METRICS.jobsFinished, [outcome], () => [
      [{ [outcome]: 'ok' }, metrics.jobsOk],
      [{ [outcome]: 'failed' }, metrics.jobsFailed],
    ]),
    family(METRICS.faults, [fault], () => byLabel(fault, metrics.faults)),
    family(METRICS.faultsActive, [fault], () => byLabel(fault, metrics.activeFaults())),
    family(METRICS.scenarioTime, [], () => [[{}, metrics.scenarioMs / 1000]]),
    family(METRICS.events, [], () => [[{}, metrics.events]]),
  ];
  registry.registerMetric(metrics.jobDuration);

  return {
    registry,
    async render() {
      if (metrics.runAttributes === undefined) return '';
      registry.setDefaultLabels(Object.fromEntries(Object.entries(metrics.runAttributes).map(([key, value]) => [label(key), value])));
      for (const entry of families) fill(registry, entry);
      return registry.metrics();
    },
  };
}

function family(
  metric: Pick<MetricDefinition, 'prometheusName' | 'kind' | 'description'>,
  labelNames: string[],
  samples: () => readonly Sample[],
): Family {
  const options = { name: metric.prometheusName, help: metric.description, labelNames, registers: [] };
  return { name: metric.prometheusName, metric: metric.kind === 'counter' ? new Counter(options) : new Gauge(options), samples };
}

/** The family's series now: registered with these samples, or left out when there are none (unknown is not zero). */
function fill(registry: Registry, { name, metric, samples: sampled }: Family): void {
  const samples = sampled();
  if (samples.length === 0) {
    if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
    return;
  }
  if (!registry.getSingleMetric(name)) registry.registerMetric(metric);
  metric.reset();
  for (const [labels, value] of samples) {
    if (metric instanceof Counter) metric.inc(labels, value);
    else metric.set(labels, value);
  }
}

function optional(labels: Labels, value: number | undefined): Sample[] {
  return value === undefined ? [] : [[labels, value]];
}

function byLabel(name: string, values: ReadonlyMap<string, number>): Sample[] {
  return [...values].map(([key, value]) => [{ [name]: key }, value]);
}
