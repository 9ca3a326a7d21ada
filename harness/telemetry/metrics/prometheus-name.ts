/**
 * OpenTelemetry metric names to Prometheus names, by the OpenTelemetry "Prometheus and OpenMetrics
 * compatibility" rules (as the Collector's Prometheus exporter applies them), so a metric is called
 * the same whether Prometheus scrapes Tally directly or reads it through a Collector:
 * - characters outside [a-zA-Z0-9_:] become `_`, runs of `_` collapse, leading/trailing `_` go;
 * - a UCUM unit is appended in Prometheus words (`s` → `_seconds`, `By` → `_bytes`), a unit in
 *   braces (`{browser}`) is an annotation and is dropped, `1` on a gauge becomes `_ratio`;
 * - a monotonic sum (a counter) ends in `_total`.
 */

export type MetricKind = 'gauge' | 'counter' | 'histogram';

const UNIT_WORDS: Record<string, string> = {
  s: 'seconds',
  ms: 'milliseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  '%': 'percent',
};

/** A label or metric name made of Prometheus's legal characters. */
export function prometheusLabel(name: string): string {
  return name
    .replace(/[^a-zA-Z0-9_:]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function prometheusName(otelName: string, unit: string, kind: MetricKind): string {
  let name = prometheusLabel(otelName);
  const suffix = unitSuffix(unit, kind);
  if (suffix !== '' && !name.endsWith(`_${suffix}`)) name += `_${suffix}`;
  if (kind === 'counter' && !name.endsWith('_total')) name += '_total';
  return name;
}

function unitSuffix(unit: string, kind: MetricKind): string {
  if (unit === '' || (unit.startsWith('{') && unit.endsWith('}'))) return '';
  if (unit === '1') return kind === 'gauge' ? 'ratio' : '';
  return UNIT_WORDS[unit] ?? prometheusLabel(unit.replace(/[^a-zA-Z0-9]/g, ''));
}
