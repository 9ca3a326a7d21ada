import type { AttributeValue } from '@opentelemetry/api';

export type RecordAttributes = Record<string, AttributeValue>;

/** A point on a span's timeline, in scenario time. */
export interface SpanEventRecord {
  name: string;
  t: number;
  attributes: RecordAttributes;
  /** Call site (`file:line:col (function)`) the history gave, turned into `code.*` attributes on export. */
  at: string | undefined;
}

/**
 * A span as the history describes it, in scenario time, before it becomes an OpenTelemetry span.
 * Spans are built from these only when the run is over: a violation or a late cleanup can still
 * change a span that has ended, and a run pays for nothing but these small records while it runs.
 */
export class SpanRecord {
  end: number | undefined = undefined;
  readonly events: SpanEventRecord[] = [];
  readonly children: SpanRecord[] = [];
  /** Set when an invariant broke here: the span's status is ERROR with this message. */
  error: string | undefined = undefined;
  /** A span of another process this one belongs under (the request that asked for a job); linked to its tree parent instead. */
  remoteParent: { traceId: string; spanId: string } | undefined = undefined;

  constructor(
    readonly name: string,
    readonly start: number,
    readonly attributes: RecordAttributes,
    readonly at: string | undefined = undefined,
  ) {}

  addEvent(name: string, t: number, attributes: RecordAttributes, at?: string): void {
    this.events.push({ name, t, attributes, at });
  }
}
