/**
 * An OTLP/HTTP trace receiver for tests: a real HTTP server on 127.0.0.1 that accepts
 * POST /v1/traces as JSON and as protobuf (gzip or not), decodes both into the OTLP JSON form, and
 * keeps what it received. Protobuf is decoded by protobufjs from the OTLP trace messages below.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

/**
 * The messages of opentelemetry/proto/collector/trace/v1/trace_service.proto and what it imports
 * (trace, resource, common), with their field numbers and types. The wire format carries numbers,
 * not package names, so one package holds them all.
 */
const OTLP_TRACE_PROTO = `
syntax = "proto3";
package otlp;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message Status { string message = 2; int32 code = 3; }
`;

const ExportTraceServiceRequest = protobuf.parse(OTLP_TRACE_PROTO).root.lookupType('otlp.ExportTraceServiceRequest');

/** OTLP JSON's shapes, as much as the tests read. */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpKeyValue[];
  events?: { name: string; timeUnixNano: string | number; attributes?: OtlpKeyValue[] }[];
  status?: { code?: number; message?: string };
}
export interface OtlpTraceRequest {
  resourceSpans: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

export type AttributeValue = string | number | boolean | AttributeValue[];

/** A span as the tests compare it, whichever protocol brought it: ids in hex, times in ns. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, AttributeValue>;
  events: { name: string; timeNs: bigint; attributes: Record<string, AttributeValue> }[];
  status: { code: number; message: string | undefined };
  resource: Record<string, AttributeValue>;
}

export interface ReceivedRequest {
  contentType: string;
  headers: IncomingHttpHeaders;
  body: OtlpTraceRequest;
}

/** Decodes an OTLP/HTTP trace request body of either content type into the OTLP JSON form. */
export function decodeTraceRequest(contentType: string, bytes: Uint8Array): OtlpTraceRequest {
  if (contentType.startsWith('application/json')) return JSON.parse(Buffer.from(bytes).toString('utf8')) as OtlpTraceRequest;
  if (!contentType.startsWith('application/x-protobuf')) throw new Error(`unsupported content-type '${contentType}'`);
  const message = ExportTraceServiceRequest.decode(bytes);
  const object = ExportTraceServiceRequest.toObject(message, { longs: String, enums: Number, arrays: true });
  return hexIds(object) as OtlpTraceRequest;
}

/** Protobuf ids are bytes; OTLP JSON writes them in hex. */
function hexIds(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(hexIds);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, hexIds(inner)]));
  return value;
}

/** Every span of the requests, flattened, with its resource's attributes. */
export function spansOf(requests: Iterable<OtlpTraceRequest>): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const request of requests) {
    for (const resourceSpans of request.resourceSpans) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      for (const scope of resourceSpans.scopeSpans) {
        for (const span of scope.spans) {
          spans.push({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ? span.parentSpanId : undefined,
            name: span.name,
            startNs: BigInt(span.startTimeUnixNano),
            endNs: BigInt(span.endTimeUnixNano),
            attributes: attributesOf(span.attributes),
            events: (span.events ?? []).map((event) => ({
              name: event.name,
              timeNs: BigInt(event.timeUnixNano),
              attributes: attributesOf(event.attributes),
            })),
            status: { code: span.status?.code ?? 0, message: span.status?.message || undefined },
            resource,
          });
        }
      }
    }
  }
  return spans;
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, AttributeValue> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, attributeValue(value)]));
}

function attributeValue(value: OtlpAnyValue): AttributeValue {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(attributeValue);
  throw new Error(`unsupported attribute value ${JSON.stringify(value)}`);
}

export interface OtlpReceiver {
  /** Base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it (`http://127.0.0.1:PORT`). */
  url: string;
  requests: ReceivedRequest[];
  /** The status later requests get (200 unless a test wants a collector that refuses). */
  answerWith(status: number): void;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  let status = 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      const reply = (code: number, body: string) => {
        res.writeHead(code, { 'content-type': contentType.startsWith('application/json') ? 'application/json' : 'application/x-protobuf' });
        res.end(body);
      };
      if (req.method !== 'POST' || req.url !== '/v1/traces') return reply(404, '');
      if (status < 200 || status > 299) return reply(status, JSON.stringify({ message: 'refused by the test receiver' }));
      try {
        const raw = Buffer.concat(chunks);
        const bytes = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        requests.push({ contentType, headers: req.headers, body: decodeTraceRequest(contentType, bytes) });
        // An empty ExportTraceServiceResponse: full success.
        reply(200, contentType.startsWith('application/json') ? '{}' : '');
      } catch (error) {
        reply(400, JSON.stringify({ message: (error as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answerWith: (code) => void (status = code),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
