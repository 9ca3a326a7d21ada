import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { context, defaultTextMapGetter, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TraceParent } from '../history/events.ts';
import { traceResource } from '../telemetry/traces/emit-spans.ts';
import { createSpanExporter } from '../telemetry/traces/export-spans.ts';
import { traceConfigFromEnv } from '../telemetry/traces/trace-config.ts';

/** Routes whose requests get a span: the jobs. Probes and scrapes would only bury them. */
const TRACED_ROUTES = new Set(['/jobs']);

export interface ServiceTracing {
  /** Flush the request spans still buffered and stop. */
  shutdown(): Promise<void>;
}

/**
 * Live request spans: OpenTelemetry's Node SDK with its HTTP server instrumentation, exporting to
 * the OTLP endpoint the standard OTEL_* variables name. Each `POST /jobs` gets a server span (the
 * child of the caller's W3C `traceparent` when it sends one), and that span becomes the parent of
 * the job's span tree, which the run's trace builds from the history when the run is over. With no
 * endpoint (or OTEL_SDK_DISABLED), no SDK is started: nothing would receive its spans.
 */
export function startServiceTracing(env: NodeJS.ProcessEnv = process.env): ServiceTracing {
  const config = traceConfigFromEnv(env);
  if (!config.enabled || config.endpoint === undefined) return { shutdown: async () => {} };
  const sdk = new NodeSDK({
    resource: traceResource(config.serviceName, config.resourceAttributes),
    autoDetectResources: false,
    spanProcessors: [
      new BatchSpanProcessor(
        createSpanExporter({ url: config.endpoint, headers: config.headers, protocol: config.protocol, timeoutMs: config.timeoutMs }),
      ),
    ],
    // Traces only: without these the SDK would set up OTLP metrics and logs from the environment too.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // The exporter's own requests must not become spans that are exported in turn.
        disableOutgoingRequestInstrumentation: true,
        ignoreIncomingRequestHook: (request) => !TRACED_ROUTES.has((request.url ?? '/').split('?')[0]!),
      }),
    ],
  });
  sdk.start();
  // The instrumentation patches `http` when it is next required; this process imports it as an ES
  // module, which its hook does not see. Requiring it once patches the server prototype both share.
  createRequire(import.meta.url)('node:http');
  return { shutdown: () => sdk.shutdown() };
}

const w3c = new W3CTraceContextPropagator();

/**
 * The span a job asked for by `request` belongs under: the request's own server span when the
 * SDK traces requests, else the caller's `traceparent` as it came, so a job joins its caller's
 * trace either way. Undefined when there is neither.
 */
export function jobParentOf(request: IncomingMessage): TraceParent | undefined {
  const active = trace.getSpanContext(context.active());
  const span = active ?? trace.getSpanContext(w3c.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter));
  return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : undefined;
}
