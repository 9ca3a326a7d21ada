import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { spansFromRequest, type TraceRequest } from '../telemetry/traces/decode-spans.ts';
import { sendSpans, TRACES_FILE } from '../telemetry/traces/export-spans.ts';
import { DEFAULT_OTLP_HTTP_ENDPOINT, traceConfigFromEnv, tracesUrl } from '../telemetry/traces/trace-config.ts';

/**
 * `tally export-traces <run-folder> [--endpoint URL]`: sends the run's traces.otlp.json to
 * `<endpoint>/v1/traces` through the same OTLP exporter a live run uses (protocol, headers and
 * timeout from the OTEL_* variables, requests of at most SPANS_PER_REQUEST spans). Without
 * --endpoint: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT, else a collector on
 * this machine.
 */
export async function exportTracesCommand(
  paths: string[],
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (paths.length !== 1) throw new InputError('export-traces: give one run folder');
  const folder = paths[0]!;
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new InputError(`export-traces: ${folder}: no such folder`);
  const file = join(folder, TRACES_FILE);
  if (!existsSync(file)) throw new InputError(`export-traces: ${file}: no such file (a run writes it when no OTLP endpoint is configured)`);
  const spans = spansFromRequest(readTraceRequest(file));

  const config = traceConfigFromEnv(env);
  const url = endpoint === undefined ? (config.endpoint ?? tracesUrl(DEFAULT_OTLP_HTTP_ENDPOINT)) : endpointUrl(endpoint);
  const { sent, requests, error } = await sendSpans(spans, {
    url,
    headers: config.headers,
    protocol: config.protocol,
    timeoutMs: config.timeoutMs,
  });
  if (error !== undefined)
    throw new InputError(`export-traces: ${url} (${config.protocol}) did not take the spans (${sent} of ${spans.length} sent): ${error}`);
  const traces = new Set(spans.map((span) => span.spanContext().traceId));
  console.log(`sent ${plural(sent, 'span')} (${plural(traces.size, 'trace')}) from ${file} to ${url} in ${plural(requests, 'request')}`);
  return 0;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function readTraceRequest(file: string): TraceRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`export-traces: ${file}: not JSON (${(error as Error).message})`);
  }
  const resourceSpans = (parsed as Partial<TraceRequest> | null)?.resourceSpans;
  const wellFormed =
    Array.isArray(resourceSpans) &&
    resourceSpans.every((r) => Array.isArray(r?.scopeSpans) && r.scopeSpans.every((s) => Array.isArray(s?.spans)));
  if (!wellFormed)
    throw new InputError(`export-traces: ${file}: not an OTLP ExportTraceServiceRequest (resourceSpans[].scopeSpans[].spans[] expected)`);
  return parsed as TraceRequest;
}

/** `--endpoint http://collector:4318` is the collector's base URL, as OTEL_EXPORTER_OTLP_ENDPOINT is; a full `…/v1/traces` is taken as given. */
function endpointUrl(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new InputError(`export-traces: --endpoint ${endpoint}: expected an http(s) URL such as ${DEFAULT_OTLP_HTTP_ENDPOINT}`);
  }
  return /\/v1\/traces\/?$/.test(endpoint) ? endpoint : tracesUrl(endpoint);
}
