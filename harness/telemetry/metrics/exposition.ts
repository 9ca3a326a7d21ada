import { DRIVER, FAULT, JOB, SEMCONV, VIOLATION } from '../attributes.ts';
import { METRICS, type MetricDefinition } from './metric-definitions.ts';
import { prometheusLabel as label } from './prometheus-name.ts';
import type { HistogramState, RunMetrics } from './run-metrics.ts';

/** The Prometheus text exposition format's content type (version 0.0.4). */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Readonly<Record<string, string>>;

/** The service the run's traces are reported as by default (OTEL_SERVICE_NAME unset). */
const SERVICE_NAME = 'tally';

/**
 * The run's metrics in Prometheus's text format. Every series carries the run's identity
 * (scenario, pool, driver, seed, run id) as labels, so one Prometheus can tell runs apart and a
 * dashboard can filter and link by them; `target_info` carries it too, as OpenTelemetry puts a
 * resource there. Before `run.start` nothing is known about the run and the page is empty.
 */
export function renderExposition(metrics: RunMetrics): string {
  if (metrics.runAttributes === undefined) return '';
  const run: Labels = Object.fromEntries(Object.entries(metrics.runAttributes).map(([key, value]) => [label(key), value]));
  const out: string[] = [];
  const view = label(DRIVER.view);

  family(out, { prometheusName: 'target_info', kind: 'gauge', description: 'Target metadata' }, [
    [{ [label(SEMCONV.serviceName)]: SERVICE_NAME, ...run }, 1],
  ]);
  family(out, METRICS.poolCounter, [[run, metrics.counter]]);
  family(out, METRICS.poolSessions, [[run, metrics.sessions]]);
  family(out, METRICS.poolLocks, [[run, metrics.locks]]);
  family(out, METRICS.browsersAlive, [
    [{ ...run, [view]: 'driver' }, metrics.browsersDriver],
    ...optional({ ...run, [view]: 'os' }, metrics.browsersOs),
  ]);
  family(out, METRICS.osProcesses, optional(run, metrics.processesOs));
  family(out, METRICS.memoryUsage, [
    ...optional({ ...run, [view]: 'driver' }, metrics.memoryDriverBytes),
    ...optional({ ...run, [view]: 'os' }, metrics.memoryOsBytes),
  ]);
  family(out, METRICS.violations, byLabel(run, label(VIOLATION.invariant), metrics.violations));
  family(out, METRICS.watchdogFires, [[run, metrics.watchdogFires]]);
  family(out, METRICS.browserCloses, [[run, metrics.browserCloses]]);
  family(out, METRICS.jobsStarted, [[run, metrics.jobsStarted]]);
  const outcome = label(JOB.outcome);
  family(out, METRICS.jobsFinished, [
    [{ ...run, [outcome]: 'ok' }, metrics.jobsOk],
    [{ ...run, [outcome]: 'failed' }, metrics.jobsFailed],
  ]);
  histogramFamily(out, METRICS.jobDuration, [
    [{ ...run, [outcome]: 'ok' }, metrics.jobDurationOk],
    [{ ...run, [outcome]: 'failed' }, metrics.jobDurationFailed],
  ]);
  const fault = label(FAULT.kind);
  family(out, METRICS.faults, byLabel(run, fault, metrics.faults));
  family(out, METRICS.faultsActive, byLabel(run, fault, metrics.activeFaults()));
  family(out, METRICS.scenarioTime, [[run, metrics.scenarioMs / 1000]]);
  family(out, METRICS.events, [[run, metrics.events]]);
  return out.join('');
}

type Sample = readonly [Labels, number];

function optional(labels: Labels, value: number | undefined): Sample[] {
  return value === undefined ? [] : [[labels, value]];
}

function byLabel(run: Labels, name: string, values: ReadonlyMap<string, number>): Sample[] {
  return [...values].map(([key, value]) => [{ ...run, [name]: key }, value]);
}

function header(out: string[], metric: Pick<MetricDefinition, 'prometheusName' | 'kind' | 'description'>): void {
  out.push(`# HELP ${metric.prometheusName} ${metric.description.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`);
  out.push(`# TYPE ${metric.prometheusName} ${metric.kind}\n`);
}

function family(
  out: string[],
  metric: Pick<MetricDefinition, 'prometheusName' | 'kind' | 'description'>,
  samples: readonly Sample[],
): void {
  if (samples.length === 0) return;
  header(out, metric);
  for (const [labels, value] of samples) out.push(`${metric.prometheusName}${labelSet(labels)} ${formatValue(value)}\n`);
}

function histogramFamily(out: string[], metric: MetricDefinition, histograms: readonly (readonly [Labels, HistogramState])[]): void {
  header(out, metric);
  const name = metric.prometheusName;
  for (const [labels, histogram] of histograms) {
    let cumulative = 0;
    histogram.bounds.forEach((bound, i) => {
      cumulative += histogram.counts[i]!;
      out.push(`${name}_bucket${labelSet({ ...labels, le: String(bound) })} ${cumulative}\n`);
    });
    out.push(`${name}_bucket${labelSet({ ...labels, le: '+Inf' })} ${histogram.count}\n`);
    out.push(`${name}_sum${labelSet(labels)} ${formatValue(histogram.sum)}\n`);
    out.push(`${name}_count${labelSet(labels)} ${histogram.count}\n`);
  }
}

function labelSet(labels: Labels): string {
  const pairs = Object.entries(labels).map(
    ([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
