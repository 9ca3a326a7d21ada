import { describe, expect, it } from 'vitest';
import { traceConfigFromEnv, tracesUrl } from './trace-config.ts';

describe('traceConfigFromEnv', () => {
  it('has no endpoint, protobuf and service tally when nothing is set', () => {
    const config = traceConfigFromEnv({});
    expect(config).toMatchObject({
      enabled: true,
      endpoint: undefined,
      protocol: 'http/protobuf',
      serviceName: 'tally',
      timeoutMs: 10_000,
      problems: [],
    });
  });

  it("appends /v1/traces to the general endpoint and takes the signal's own as given", () => {
    expect(traceConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).endpoint).toBe('http://collector:4318/v1/traces');
    const both = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/otlp/traces',
    };
    expect(traceConfigFromEnv(both).endpoint).toBe('http://tempo:4318/otlp/traces');
    expect(tracesUrl('http://127.0.0.1:4318')).toBe('http://127.0.0.1:4318/v1/traces');
  });

  it('reads headers (the signal’s over the general ones), protocol, timeout, service and resource', () => {
    const config = traceConfigFromEnv({
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20a,x-team=pool',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'authorization=Bearer%20b',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_SERVICE_NAME: 'pool-ci',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=ci',
    });
    expect(config.headers).toEqual({ authorization: 'Bearer b', 'x-team': 'pool' });
    expect([config.protocol, config.timeoutMs, config.serviceName]).toEqual(['http/json', 2500, 'pool-ci']);
    expect(config.resourceAttributes).toEqual({ 'deployment.environment.name': 'ci' });
  });

  it('names what it cannot honour, and is off with OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none', () => {
    const config = traceConfigFromEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' });
    expect(config.protocol).toBe('http/protobuf');
    expect(config.endpoint).toBeUndefined();
    expect(config.problems.join('\n')).toMatch(
      /OTEL_EXPORTER_OTLP_PROTOCOL=grpc[\s\S]*OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317\/v1\/traces' is not an http\(s\) URL/,
    );
    expect(traceConfigFromEnv({ OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(traceConfigFromEnv({ OTEL_TRACES_EXPORTER: 'none' }).enabled).toBe(false);
  });
});
