import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RunTrace } from '../../report/report-json.ts';

/** Beside the run's other files: which trace is the run's and where it went, for the report to name and link. */
export const TRACE_RECORD_FILE = 'trace.json';

/** The run's own trace: that of its root span (jobs asked for over HTTP join their callers' traces instead). */
export function runTraceId(spans: readonly ReadableSpan[]): string | undefined {
  return spans.find((span) => span.parentSpanContext === undefined)?.spanContext().traceId;
}

export function writeTraceRecord(outDir: string, trace: RunTrace): void {
  writeFileSync(join(outDir, TRACE_RECORD_FILE), `${JSON.stringify(trace, null, 2)}\n`);
}

/** The record a run's trace observer left in `outDir`, undefined when it made no trace (or the file is not one). */
export function readTraceRecord(outDir: string): RunTrace | undefined {
  const path = join(outDir, TRACE_RECORD_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<RunTrace>;
    return typeof value.traceId === 'string' ? (value as RunTrace) : undefined;
  } catch {
    return undefined;
  }
}
