import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../checkers/testing/history-builder.ts';
import type { RunObserver } from '../../observer/run-observer.ts';
import { TRACES_FILE } from './export-spans.ts';
import { createTraceObserver } from './trace-observer.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-traces-'));
  dirs.push(dir);
  return dir;
}

/** A short run: one job that lasts 10 minutes of scenario time. */
function feed(observer: RunObserver): void {
  const h = new HistoryBuilder();
  h.start();
  h.jobStart('j1');
  h.advance(600_000).jobEnd('j1');
  h.emit('run.end', { reason: 'done', jobsRunning: 0 });
  for (const event of h.events) observer.event?.(event);
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createTraceObserver', () => {
  it('writes the run folder a JSON ExportTraceServiceRequest whose times are the start epoch plus scenario time', async () => {
    const dir = tempDir();
    const observer = createTraceObserver({ env: {}, startEpochMs: 1_700_000_000_000 });
    feed(observer);
    await observer.close?.(dir);
    const body = JSON.parse(readFileSync(join(dir, TRACES_FILE), 'utf8'));
    const spans: { name: string; startTimeUnixNano: string; endTimeUnixNano: string }[] = body.resourceSpans[0].scopeSpans[0].spans;
    const job = spans.find((span) => span.name === 'job')!;
    expect([job.startTimeUnixNano, job.endTimeUnixNano]).toEqual(['1700000000000000000', '1700000600000000000']);
    expect(body.resourceSpans[0].resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'tally' } });
  });

  it('turns an unreachable collector into one message and the file, within the timeout', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const observer = createTraceObserver({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_TIMEOUT: '1000' },
      log: (line) => lines.push(line),
    });
    feed(observer);
    const started = Date.now();
    await observer.close?.(dir);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`export to ${endpoint}/v1/traces (http/protobuf) failed`);
    expect(lines[0]).toContain(`tally export-traces ${dir}`);
    expect(existsSync(join(dir, TRACES_FILE))).toBe(true);
  });

  it('does nothing when tracing is switched off', async () => {
    const dir = tempDir();
    const observer = createTraceObserver({ env: { OTEL_SDK_DISABLED: 'true' } });
    expect(observer.event).toBeUndefined();
    await observer.close?.(dir);
    expect(existsSync(join(dir, TRACES_FILE))).toBe(false);
  });
});
