import type { Attributes, AttributeValue, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

/** An OTLP `AnyValue` as OTLP/HTTP JSON writes it. */
interface JsonValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: JsonValue[] };
}
type JsonAttributes = { key: string; value?: JsonValue }[] | undefined;

interface JsonSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: JsonAttributes;
  events?: { name: string; timeUnixNano?: string | number; attributes?: JsonAttributes }[];
  links?: { traceId: string; spanId: string; attributes?: JsonAttributes }[];
  status?: { code?: number; message?: string };
  flags?: number;
}

/** An OTLP/HTTP JSON body (`ExportTraceServiceRequest`), as far as Tally reads one back. */
export interface TraceRequest {
  resourceSpans: {
    resource?: { attributes?: JsonAttributes };
    scopeSpans: { scope?: { name?: string; version?: string }; spans: JsonSpan[] }[];
  }[];
}

export function countSpans(request: TraceRequest): number {
  return request.resourceSpans.reduce((sum, r) => sum + r.scopeSpans.reduce((inner, s) => inner + s.spans.length, 0), 0);
}

/**
 * The spans of a saved OTLP/HTTP JSON body as the SDK's own spans, so a saved trace leaves through
 * the same exporter as a live one (`sendSpans`): one sender, both protocols, the same retries.
 */
export function spansFromRequest(request: TraceRequest): ReadableSpan[] {
  return request.resourceSpans.flatMap(({ resource, scopeSpans }) => {
    const spanResource = resourceFromAttributes(attributesOf(resource?.attributes));
    return scopeSpans.flatMap(({ scope, spans }) =>
      spans.map((span): ReadableSpan => {
        const startTime = hrTime(span.startTimeUnixNano);
        const endTime = hrTime(span.endTimeUnixNano ?? span.startTimeUnixNano);
        const context: SpanContext = { traceId: span.traceId ?? '', spanId: span.spanId ?? '', traceFlags: (span.flags ?? 1) & 0xff };
        return {
          name: span.name ?? '',
          kind: Math.max(0, (span.kind ?? 1) - 1) as SpanKind,
          spanContext: () => context,
          ...(span.parentSpanId ? { parentSpanContext: { traceId: context.traceId, spanId: span.parentSpanId, traceFlags: 1 } } : {}),
          startTime,
          endTime,
          duration: difference(endTime, startTime),
          ended: true,
          status: { code: span.status?.code ?? 0, ...(span.status?.message ? { message: span.status.message } : {}) } as SpanStatus,
          attributes: attributesOf(span.attributes),
          events: (span.events ?? []).map(
            (event): TimedEvent => ({ name: event.name, time: hrTime(event.timeUnixNano), attributes: attributesOf(event.attributes) }),
          ),
          links: (span.links ?? []).map(
            (link): Link => ({
              context: { traceId: link.traceId, spanId: link.spanId, traceFlags: 1 },
              attributes: attributesOf(link.attributes),
            }),
          ),
          resource: spanResource,
          instrumentationScope: { name: scope?.name ?? '', ...(scope?.version ? { version: scope.version } : {}) },
          droppedAttributesCount: 0,
          droppedEventsCount: 0,
          droppedLinksCount: 0,
        };
      }),
    );
  });
}

function attributesOf(list: JsonAttributes): Attributes {
  const attributes: Attributes = {};
  for (const { key, value } of list ?? []) {
    const decoded = attributeValue(value);
    if (decoded !== undefined) attributes[key] = decoded;
  }
  return attributes;
}

function attributeValue(value: JsonValue | undefined): AttributeValue | undefined {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined)
    return (value.arrayValue.values ?? []).map((item) => attributeValue(item)).filter((item) => item !== undefined) as AttributeValue;
  return undefined;
}

const NANOS_PER_SECOND = 1_000_000_000n;

function hrTime(nanos: string | number | undefined): HrTime {
  const total = BigInt(nanos ?? 0);
  return [Number(total / NANOS_PER_SECOND), Number(total % NANOS_PER_SECOND)];
}

function difference(end: HrTime, start: HrTime): HrTime {
  const nanos = (BigInt(end[0]) - BigInt(start[0])) * NANOS_PER_SECOND + BigInt(end[1] - start[1]);
  return hrTime(nanos > 0n ? nanos.toString() : 0);
}
