import { createRequire } from 'node:module';
import { type Context, ROOT_CONTEXT, SpanStatusCode, TraceFlags, type Tracer, trace } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  type ReadableSpan,
  type SpanLimits,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { SEMCONV } from '../attributes.ts';
import { withCallSite } from './call-site-attributes.ts';
import type { SpanRecord } from './span-record.ts';

export const TRACER_NAME = 'tally';
const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/**
 * A run span collects its sweeps, quiescence and session-less violations: in a day-long soak
 * that is more than the SDK's default of 128 events, and a dropped violation is a lost finding.
 */
const SPAN_LIMITS: SpanLimits = { eventCountLimit: 10_000, attributeCountLimit: 256, attributePerEventCountLimit: 256 };

/** The resource every span of a run shares: the SDK's defaults, OTEL_RESOURCE_ATTRIBUTES, then the service. */
export function traceResource(serviceName: string, extra: Record<string, string> = {}): Resource {
  return defaultResource().merge(
    resourceFromAttributes({ ...extra, [SEMCONV.serviceName]: serviceName, [SEMCONV.serviceVersion]: VERSION }),
  );
}

/**
 * Turns the record tree into OpenTelemetry spans through a tracer provider of this run's own (no
 * global registration: several runs can share a process). Scenario time becomes wall time from
 * `epochMs`, so a day compressed into a second of simulation still reads as a day.
 */
export function emitSpans(root: SpanRecord, options: { epochMs: number; resource: Resource }): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  const collect: SpanProcessor = {
    onStart: () => {},
    onEnd: (span) => void spans.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new BasicTracerProvider({
    resource: options.resource,
    sampler: new AlwaysOnSampler(),
    spanLimits: SPAN_LIMITS,
    spanProcessors: [collect],
  });
  const tracer = provider.getTracer(TRACER_NAME, VERSION);
  emit(tracer, root, ROOT_CONTEXT, options.epochMs);
  return spans;
}

function emit(tracer: Tracer, record: SpanRecord, parent: Context, epochMs: number): void {
  const time = (t: number) => millisToHrTime(epochMs + t);
  // A job asked for over HTTP joins its caller's trace under the request's span; the run links to it.
  const remote = record.remoteParent;
  const treeParent = trace.getSpanContext(parent);
  const span = tracer.startSpan(
    record.name,
    {
      startTime: time(record.start),
      attributes: withCallSite(record.attributes, record.at),
      ...(remote && treeParent ? { links: [{ context: treeParent }] } : {}),
    },
    remote ? trace.setSpanContext(ROOT_CONTEXT, { ...remote, traceFlags: TraceFlags.SAMPLED, isRemote: true }) : parent,
  );
  // Everything is added before end(): an ended span ignores changes.
  for (const event of record.events) span.addEvent(event.name, withCallSite(event.attributes, event.at), time(event.t));
  if (record.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: record.error });
  const context = trace.setSpan(ROOT_CONTEXT, span);
  for (const child of record.children) emit(tracer, child, context, epochMs);
  span.end(time(record.end ?? record.start));
}
