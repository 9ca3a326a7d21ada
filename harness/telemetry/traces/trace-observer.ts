import { join } from 'node:path';
import type { RunObserver } from '../../observer/run-observer.ts';
import { emitSpans, traceResource } from './emit-spans.ts';
import { sendSpans, TRACES_FILE, writeSpansFile } from './export-spans.ts';
import { HistorySpans } from './history-spans.ts';
import { traceConfigFromEnv } from './trace-config.ts';
import { runTraceId, writeTraceRecord } from './trace-record.ts';

export interface TraceObserverOptions {
  /** Where the OTEL_* variables are read (default: the process's environment). */
  env?: NodeJS.ProcessEnv;
  /** Wall-clock epoch (ms) of scenario time 0 (default: now, when the observer is made for its run). */
  startEpochMs?: number;
  /** Where problems are told (default: stderr). */
  log?: (line: string) => void;
}

/**
 * Follows one run and leaves its trace: sent over OTLP/HTTP when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT
 * is set, else written to `<run folder>/traces.otlp.json` (send it later with `tally export-traces`).
 * While the run goes it only keeps small records; the spans are made when it is over. A failed
 * export is a message, never the run's error: the trace is then written to the folder instead.
 */
export function createTraceObserver(options: TraceObserverOptions = {}): RunObserver {
  const config = traceConfigFromEnv(options.env ?? process.env);
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  if (!config.enabled) return {};
  const spans = new HistorySpans(config.detail);
  // The observer is made just before its run starts: scenario time 0 is now.
  const epochMs = options.startEpochMs ?? Date.now();
  return {
    event: (event) => spans.event(event),
    violation: (violation) => spans.violation(violation),
    async close(outDir) {
      for (const problem of config.problems) log(`traces: ${problem}`);
      const file = join(outDir, TRACES_FILE);
      try {
        const emitted = emitSpans(spans.finish(), { epochMs, resource: traceResource(config.serviceName, config.resourceAttributes) });
        const traceId = runTraceId(emitted);
        const inFile = () => {
          writeSpansFile(file, emitted);
          if (traceId) writeTraceRecord(outDir, { traceId, file: TRACES_FILE });
        };
        if (config.endpoint === undefined) return inFile();
        const { error } = await sendSpans(emitted, {
          url: config.endpoint,
          headers: config.headers,
          protocol: config.protocol,
          timeoutMs: config.timeoutMs,
        });
        if (error === undefined) {
          if (traceId)
            writeTraceRecord(outDir, {
              traceId,
              sentTo: config.endpoint,
              jaegerUrl: `${config.jaegerUrl.replace(/\/+$/, '')}/trace/${traceId}`,
            });
          return;
        }
        inFile();
        log(
          `traces: export to ${config.endpoint} (${config.protocol}) failed: ${error}; wrote ${file} instead (send it with: tally export-traces ${outDir})`,
        );
      } catch (error) {
        log(`traces: could not build or write the trace (${file}): ${(error as Error).message}`);
      }
    },
  };
}
