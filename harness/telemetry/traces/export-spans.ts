import { writeFileSync } from 'node:fs';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpProtocol } from './trace-config.ts';

/** The run folder's trace: one OTLP/HTTP JSON request body (`ExportTraceServiceRequest`). */
export const TRACES_FILE = 'traces.otlp.json';

/**
 * Spans per request: a day-long soak has thousands of jobs, and collectors cap a request's size
 * (the OpenTelemetry Collector at 20 MiB by default).
 */
export const SPANS_PER_REQUEST = 1_000;

export interface OtlpTarget {
  url: string;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  timeoutMs: number;
}

/** The spans as the OTLP/HTTP JSON body a collector accepts. */
export function serializeSpansJson(spans: ReadableSpan[]): Uint8Array {
  const body = JsonTraceSerializer.serializeRequest(spans);
  if (!body) throw new Error('the OTLP JSON serializer returned nothing');
  return body;
}

export function writeSpansFile(path: string, spans: ReadableSpan[]): void {
  writeFileSync(path, serializeSpansJson(spans));
}

/**
 * Sends the spans with the OpenTelemetry OTLP/HTTP exporter of the protocol, in batches, one after
 * the other, within `timeoutMs` for the whole: a collector that is down or slow costs the run at
 * most that long. Resolves with what went wrong, never rejects.
 */
export async function sendSpans(spans: ReadableSpan[], target: OtlpTarget): Promise<{ sent: number; requests: number; error?: string }> {
  const exporter = createSpanExporter(target);
  const deadline = Date.now() + target.timeoutMs;
  let sent = 0;
  let requests = 0;
  try {
    for (let from = 0; from < spans.length; from += SPANS_PER_REQUEST) {
      const batch = spans.slice(from, from + SPANS_PER_REQUEST);
      requests += 1;
      const result = await within(deadline - Date.now(), new Promise<ExportResult>((resolve) => exporter.export(batch, resolve)));
      if (result === undefined) return { sent, requests, error: `no answer within ${target.timeoutMs} ms` };
      if (result.code !== ExportResultCode.SUCCESS) return { sent, requests, error: result.error?.message ?? 'export failed' };
      sent += batch.length;
    }
    return { sent, requests };
  } finally {
    await within(
      1_000,
      exporter.shutdown().catch(() => {}),
    );
  }
}

/** OpenTelemetry's OTLP/HTTP exporter for the target's protocol. */
export function createSpanExporter(target: OtlpTarget): SpanExporter {
  const options = { url: target.url, headers: target.headers, timeoutMillis: target.timeoutMs };
  return target.protocol === 'http/json' ? new JsonExporter(options) : new ProtobufExporter(options);
}

/** The promise's value, or undefined once `ms` have passed. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
    // A run that is over must not wait for this timer to exit.
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
