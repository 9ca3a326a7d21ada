import { describe, expect, it } from 'vitest';
import { METRICS } from './metric-definitions.ts';
import { prometheusLabel, prometheusName } from './prometheus-name.ts';

describe('OpenTelemetry to Prometheus names', () => {
  it('follows the compatibility rules: units in words, annotations dropped, _total on counters, _ratio on unit-1 gauges', () => {
    expect(prometheusName('system.filesystem.usage', 'By', 'gauge')).toBe('system_filesystem_usage_bytes');
    expect(prometheusName('http.server.request.duration', 's', 'histogram')).toBe('http_server_request_duration_seconds');
    expect(prometheusName('system.network.dropped', '{packets}', 'counter')).toBe('system_network_dropped_total');
    expect(prometheusName('system.network.dropped', 'packets', 'gauge')).toBe('system_network_dropped_packets');
    expect(prometheusName('system.memory.utilization', '1', 'gauge')).toBe('system_memory_utilization_ratio');
    expect(prometheusName('requests_total', '', 'counter')).toBe('requests_total');
    expect(prometheusName('io.time_seconds', 's', 'gauge')).toBe('io_time_seconds');
    expect(prometheusName('(lambda).function.executions(#)', '', 'gauge')).toBe('lambda_function_executions');
  });

  it('makes labels of attribute names', () => {
    expect(prometheusLabel('tally.job.outcome')).toBe('tally_job_outcome');
    expect(prometheusLabel('service.name')).toBe('service_name');
  });

  it("gives Tally's metrics the names the dashboards query", () => {
    const names = Object.values(METRICS).map((metric) => metric.prometheusName);
    expect(names).toEqual(
      expect.arrayContaining([
        'tally_pool_browsers',
        'tally_memory_usage_bytes',
        'tally_violations_total',
        'tally_job_duration_seconds',
        'tally_browser_closes_total',
        'tally_run_scenario_time_seconds',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
  });
});
