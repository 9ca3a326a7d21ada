import { parseKeyPairsIntoRecord } from '@opentelemetry/core';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/**
 * Which jobs a trace holds (TALLY_TRACE_DETAIL): `notable` (the default) traces the jobs where
 * something happened (a violation, a failure, a fault, a watchdog, a crash, a counter path beyond
 * one up and one down, work outliving its job, a call that failed or never returned) and counts the
 * others on the run span; `all` traces every job.
 */
export const TRACE_DETAILS = ['notable', 'all'] as const;
export type TraceDetail = (typeof TRACE_DETAILS)[number];

/** Where `tally export-traces` sends when nothing says otherwise: a collector's OTLP/HTTP port on this machine. */
export const DEFAULT_OTLP_HTTP_ENDPOINT = 'http://127.0.0.1:4318';
const TRACES_PATH = 'v1/traces';
/** Jaeger's UI as docker-compose.yml serves it; TALLY_JAEGER_URL names another. */
export const DEFAULT_JAEGER_URL = 'http://localhost:16686';
const DEFAULT_TIMEOUT_MS = 10_000;

/** How a run's trace leaves it, from the standard OTEL_* variables. */
export interface TraceConfig {
  /** False with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none: no trace at all. */
  enabled: boolean;
  /** Full URL of the traces resource (`…/v1/traces`); undefined: no collector, the run folder gets the file. */
  endpoint: string | undefined;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  /** For the whole export of a run. */
  timeoutMs: number;
  serviceName: string;
  detail: TraceDetail;
  /** OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes: Record<string, string>;
  /** Jaeger's UI (TALLY_JAEGER_URL), where a report links a trace sent to a collector. */
  jaegerUrl: string;
  /** Settings that could not be honoured, each one line naming the variable. */
  problems: string[];
}

/**
 * Reads the variables the OpenTelemetry specification defines for OTLP exporters, from `env`
 * rather than the process's own, so runs in one process can each have their own.
 */
export function traceConfigFromEnv(env: NodeJS.ProcessEnv): TraceConfig {
  const problems: string[] = [];
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const exporter = get('OTEL_TRACES_EXPORTER');
  if (exporter !== undefined && exporter !== 'otlp' && exporter !== 'none')
    problems.push(`OTEL_TRACES_EXPORTER=${exporter}: only otlp (or none) is supported; using otlp`);
  const enabled = get('OTEL_SDK_DISABLED')?.toLowerCase() !== 'true' && exporter !== 'none';

  const protocolName = get('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? get('OTEL_EXPORTER_OTLP_PROTOCOL');
  let protocol: OtlpProtocol = 'http/protobuf';
  if (protocolName !== undefined) {
    if ((OTLP_PROTOCOLS as readonly string[]).includes(protocolName)) protocol = protocolName as OtlpProtocol;
    else
      problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocolName}: unsupported (use ${OTLP_PROTOCOLS.join(' or ')}); using http/protobuf`);
  }

  const detailName = get('TALLY_TRACE_DETAIL');
  let detail: TraceDetail = 'notable';
  if (detailName !== undefined) {
    if ((TRACE_DETAILS as readonly string[]).includes(detailName)) detail = detailName as TraceDetail;
    else problems.push(`TALLY_TRACE_DETAIL=${detailName}: expected ${TRACE_DETAILS.join(' or ')}; using notable`);
  }

  let endpoint: string | undefined;
  const specific = get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const general = get('OTEL_EXPORTER_OTLP_ENDPOINT');
  // The signal's own endpoint is used as given; the general one gets the signal's path appended.
  if (specific !== undefined) endpoint = validUrl(specific, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', problems);
  else if (general !== undefined) endpoint = validUrl(tracesUrl(general), 'OTEL_EXPORTER_OTLP_ENDPOINT', problems);

  return {
    enabled,
    endpoint,
    headers: {
      ...parseKeyPairsIntoRecord(get('OTEL_EXPORTER_OTLP_HEADERS')),
      ...parseKeyPairsIntoRecord(get('OTEL_EXPORTER_OTLP_TRACES_HEADERS')),
    },
    protocol,
    timeoutMs: positive(get('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT') ?? get('OTEL_EXPORTER_OTLP_TIMEOUT')) ?? DEFAULT_TIMEOUT_MS,
    serviceName: get('OTEL_SERVICE_NAME') ?? 'tally',
    detail,
    resourceAttributes: parseKeyPairsIntoRecord(get('OTEL_RESOURCE_ATTRIBUTES')),
    jaegerUrl: validUrl(get('TALLY_JAEGER_URL') ?? DEFAULT_JAEGER_URL, 'TALLY_JAEGER_URL', problems) ?? DEFAULT_JAEGER_URL,
    problems,
  };
}

/** `http://collector:4318` → `http://collector:4318/v1/traces`. */
export function tracesUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/${TRACES_PATH}`;
}

function validUrl(url: string, variable: string, problems: string[]): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  problems.push(`${variable}: '${url}' is not an http(s) URL; traces go to the run folder instead`);
  return undefined;
}

function positive(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}
