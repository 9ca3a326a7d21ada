import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { countSpans, SPANS_PER_REQUEST, TRACES_FILE, type TraceRequest } from '../telemetry/traces/export-spans.ts';
import { DEFAULT_OTLP_HTTP_ENDPOINT, traceConfigFromEnv, tracesUrl } from '../telemetry/traces/trace-config.ts';

/**
 * `tally export-traces <run-folder> [--endpoint URL]`: POSTs the run's traces.otlp.json (an OTLP/HTTP
 * JSON body) to `<endpoint>/v1/traces`, in requests of at most SPANS_PER_REQUEST spans. Without
 * --endpoint: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT, else a collector on
 * this machine. Headers and timeout come from the OTEL_* variables too.
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
  const request = readTraceRequest(file);

  const config = traceConfigFromEnv(env);
  const url = endpoint === undefined ? (config.endpoint ?? tracesUrl(DEFAULT_OTLP_HTTP_ENDPOINT)) : endpointUrl(endpoint);
  const batches = split(request);
  let spans = 0;
  for (const batch of batches) {
    await post(url, batch, config.headers, config.timeoutMs);
    spans += countSpans(batch);
  }
  const traces = new Set(request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.traceId))));
  console.log(
    `sent ${spans} span${spans === 1 ? '' : 's'} (${traces.size} trace${traces.size === 1 ? '' : 's'}) from ${file} to ${url} in ${batches.length} request${batches.length === 1 ? '' : 's'}`,
  );
  return 0;
}

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

/** The request cut into requests of at most SPANS_PER_REQUEST spans, each keeping its resource and scope. */
function split(request: TraceRequest): TraceRequest[] {
  const batches: TraceRequest[] = [];
  let current: TraceRequest = { resourceSpans: [] };
  let size = 0;
  for (const { scopeSpans, ...resource } of request.resourceSpans) {
    for (const { spans, ...scope } of scopeSpans) {
      for (let from = 0; from < spans.length; ) {
        const take = spans.slice(from, from + SPANS_PER_REQUEST - size);
        current.resourceSpans.push({ ...resource, scopeSpans: [{ ...scope, spans: take }] });
        size += take.length;
        from += take.length;
        if (size === SPANS_PER_REQUEST) {
          batches.push(current);
          current = { resourceSpans: [] };
          size = 0;
        }
      }
    }
  }
  if (size > 0 || batches.length === 0) batches.push(current);
  return batches;
}

async function post(url: string, body: TraceRequest, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new InputError(`export-traces: cannot reach ${url}: ${cause ?? (error as Error).message}`);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok)
    throw new InputError(
      `export-traces: ${url} answered ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`,
    );
  const rejected = partialSuccess(text);
  if (rejected)
    throw new InputError(`export-traces: ${url} rejected ${rejected.rejectedSpans} spans: ${rejected.errorMessage ?? 'no reason given'}`);
}

/** OTLP's partial success: the collector took the request but not every span. */
function partialSuccess(text: string): { rejectedSpans: number; errorMessage?: string } | undefined {
  try {
    const partial = (JSON.parse(text) as { partialSuccess?: { rejectedSpans?: number | string; errorMessage?: string } } | null)
      ?.partialSuccess;
    const rejectedSpans = Number(partial?.rejectedSpans ?? 0);
    return rejectedSpans > 0 ? { rejectedSpans, ...(partial?.errorMessage ? { errorMessage: partial.errorMessage } : {}) } : undefined;
  } catch {
    // Not JSON (or empty): a 2xx without a partial success is a full success.
    return undefined;
  }
}
