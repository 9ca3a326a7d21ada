import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import type { RunReport } from '../harness/report/report-json.ts';
import { TRACES_FILE } from '../harness/telemetry/traces/export-spans.ts';
import { tally, tempDir } from './helpers.ts';
import { decodeTraceRequest, type OtlpReceiver, type ReceivedSpan, spansOf, startOtlpReceiver } from './otlp-receiver.ts';

const OTEL_VARIABLES = [
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_SERVICE_NAME',
  'TALLY_JAEGER_URL',
];

/** The run's (and the spawned CLI's) OTEL_* variables: exactly these, whatever the shell had. */
function otelEnv(vars: Record<string, string>): void {
  for (const name of OTEL_VARIABLES) vi.stubEnv(name, vars[name]);
}

const NS_PER_MS = 1_000_000n;
const ms = (ns: bigint) => Number(ns / NS_PER_MS);
const ERROR = 2;

/** One trace per run, one root (the run), unique span ids, every parent present. */
function expectWellFormed(spans: ReceivedSpan[]): ReceivedSpan {
  expect(spans.length).toBeGreaterThan(0);
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  const ids = new Set(spans.map((s) => s.spanId));
  expect(ids.size).toBe(spans.length);
  for (const span of spans) if (span.parentSpanId !== undefined) expect(ids, `parent of ${span.name}`).toContain(span.parentSpanId);
  const roots = spans.filter((s) => s.parentSpanId === undefined);
  expect(roots.map((s) => s.name)).toEqual(['run']);
  expect(roots[0]!.resource['service.name']).toBe('tally');
  return roots[0]!;
}

/** What the story needs a trace of the legacy watchdog-timeout run to show. */
function expectTheStory(spans: ReceivedSpan[], report: RunReport): void {
  const run = expectWellFormed(spans);
  expect(run.status.code).toBe(ERROR);
  expect(run.attributes['tally.scenario']).toBe('watchdog-timeout');
  // Virtual time: a 30-minute scenario that simulates in about a second still reads as 30 minutes.
  expect(ms(run.endNs - run.startNs)).toBeGreaterThanOrEqual(30 * 60_000);

  const counterBroken = spans.filter(
    (s) => s.name === 'job' && s.status.code === ERROR && /counter-matches-sessions|single-release/.test(s.status.message ?? ''),
  );
  expect(counterBroken.length).toBeGreaterThan(0);
  const job = counterBroken.find((s) => s.events.filter((e) => e.name === 'counter.decrement').length === 2)!;
  expect(job, 'a job span with two decrements').toBeDefined();
  const session = job.attributes['session.id'] as string;
  const decrements = job.events.filter((e) => e.name === 'counter.decrement');
  expect(decrements.map((e) => e.attributes['tally.counter.path'])).toEqual(['watchdog', 'finally']);
  expect(decrements.map((e) => e.attributes['code.function.name'])).toEqual([
    'LegacyBrowserService.#safeCloseSession',
    'LegacyBrowserService.#closeSession',
  ]);

  // Each violation on the span is the report's, at the same history seq.
  const onSpan = job.events
    .filter((e) => e.name === 'violation')
    .map((e) => `${e.attributes['tally.invariant']}@${e.attributes['tally.history.seq']}`);
  const inReport = report.violations.filter((v) => v.session === session).map((v) => `${v.invariant}@${v.seq}`);
  expect(inReport.length).toBeGreaterThan(0);
  expect(onSpan).toEqual(expect.arrayContaining(inReport));
  expect(onSpan).toContain(
    `single-release@${report.violations.find((v) => v.session === session && v.invariant === 'single-release')!.seq}`,
  );

  // Span times are scenario times: the job lasts what job.end says, and its work outlives it.
  expect(ms(job.endNs - job.startNs)).toBe(job.attributes['tally.job.ms']);
  const children = spans.filter((s) => s.parentSpanId === job.spanId);
  expect(children.map((s) => s.name)).toEqual(['acquire', 'job.work', 'cleanup watchdog', 'cleanup finally']);
  const acquire = children.find((s) => s.name === 'acquire')!;
  expect(acquire.events.map((e) => e.name)).toEqual(['browser.launch', 'browser.newContext', 'context.newPage']);
  const work = children.find((s) => s.name === 'job.work')!;
  expect(work.endNs).toBeGreaterThan(job.endNs);
  expect(work.attributes['tally.work.outlived_job_ms']).toBe(ms(work.endNs - job.endNs));
  expect(work.attributes['tally.driver.goto.calls']).toBeGreaterThan(0);
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('traces of a run', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(() => {
    vi.unstubAllEnvs();
    receiver.answerWith(200);
  });

  it.each(['http/json', 'http/protobuf'])("shows the legacy pool's double decrement, sent over OTLP/HTTP (%s)", async (protocol) => {
    otelEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_EXPORTER_OTLP_HEADERS: `x-tally-test=${protocol}`,
      TALLY_JAEGER_URL: 'http://jaeger.test:16686/',
    });
    const from = receiver.requests.length;
    const { report, outDir } = await executeRun({ scenario: 'watchdog-timeout', pool: 'legacy', out: tempDir() });

    const requests = receiver.requests.slice(from);
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      expect(request.contentType).toBe(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
      expect(request.headers['x-tally-test']).toBe(protocol);
    }
    expect(existsSync(join(outDir, TRACES_FILE))).toBe(false);
    const spans = spansOf(requests.map((r) => r.body));
    expectTheStory(spans, report);
    // The report names the trace it sent and links it in Jaeger's UI, in every form of the report.
    const traceId = spans[0]!.traceId;
    const jaegerUrl = `http://jaeger.test:16686/trace/${traceId}`;
    expect(report.trace).toEqual({ traceId, sentTo: `${receiver.url}/v1/traces`, jaegerUrl });
    expect(readFileSync(join(outDir, 'report.md'), 'utf8')).toContain(`in Jaeger at ${jaegerUrl}`);
    expect(readFileSync(join(outDir, 'report.html'), 'utf8')).toContain(`<a href="${jaegerUrl}">`);
  });

  it('without a collector writes traces.otlp.json into the run folder, which tally export-traces sends', async () => {
    otelEnv({});
    const { report, outDir } = await executeRun({ scenario: 'watchdog-timeout', pool: 'legacy', out: tempDir() });
    const fromFile = spansOf([decodeTraceRequest('application/json', readFileSync(join(outDir, TRACES_FILE)))]);
    expectTheStory(fromFile, report);
    expect(report.trace).toEqual({ traceId: fromFile[0]!.traceId, file: TRACES_FILE });

    let from = receiver.requests.length;
    const sent = await tally(['export-traces', outDir, '--endpoint', receiver.url]);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain(
      `sent ${fromFile.length} spans (1 trace) from ${join(outDir, TRACES_FILE)} to ${receiver.url}/v1/traces in 1 request`,
    );
    const received = spansOf(receiver.requests.slice(from).map((r) => r.body));
    // The same spans, whole: through the live exporter (protobuf here) nothing of the saved trace is lost.
    const bySpanId = (spans: ReceivedSpan[]) => [...spans].sort((a, b) => a.spanId.localeCompare(b.spanId));
    expect(bySpanId(received)).toEqual(bySpanId(fromFile));

    // Without --endpoint, the standard variable says where.
    otelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    from = receiver.requests.length;
    const again = await tally(['export-traces', outDir]);
    expect(again.code).toBe(0);
    expect(spansOf(receiver.requests.slice(from).map((r) => r.body))).toHaveLength(fromFile.length);
  });

  it('export-traces cuts a large trace into requests of at most 1000 spans, each with its resource', async () => {
    otelEnv({});
    const folder = tempDir();
    const span = (i: number) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: i.toString(16).padStart(16, '0'),
      name: 'job',
      startTimeUnixNano: '1',
      endTimeUnixNano: '2',
    });
    const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'tally' } }] };
    const scope = (from: number, count: number) => ({
      scope: { name: 'tally' },
      spans: Array.from({ length: count }, (_, i) => span(from + i)),
    });
    writeFileSync(
      join(folder, TRACES_FILE),
      JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [scope(1, 1_500), scope(1_501, 900)] }] }),
    );
    const from = receiver.requests.length;
    const sent = await tally(['export-traces', folder, '--endpoint', `${receiver.url}/v1/traces`]);
    expect(sent.stdout).toContain('sent 2400 spans (1 trace)');
    expect(sent.stdout).toContain('in 3 requests');
    const requests = receiver.requests.slice(from).map((r) => r.body);
    expect(requests.map((r) => spansOf([r]).length)).toEqual([1_000, 1_000, 400]);
    expect(spansOf(requests).every((s) => s.resource['service.name'] === 'tally')).toBe(true);
    expect(new Set(spansOf(requests).map((s) => s.spanId)).size).toBe(2_400);
  });

  it('export-traces: a missing folder or file, bad JSON, an unreachable or refusing collector: a clear message and exit 2', async () => {
    // The exporter retries an unreachable collector until its timeout: a short one keeps the test short.
    otelEnv({ OTEL_EXPORTER_OTLP_TIMEOUT: '2000' });
    const empty = tempDir();
    const good = tempDir();
    writeFileSync(
      join(good, TRACES_FILE),
      JSON.stringify({
        resourceSpans: [
          { scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'run' }] }] },
        ],
      }),
    );
    const broken = tempDir();
    writeFileSync(join(broken, TRACES_FILE), '{"resourceSpans": [');
    const down = `http://127.0.0.1:${await closedPort()}`;

    const [noFolder, noFile, notJson, unreachable] = await Promise.all([
      tally(['export-traces', join(empty, 'nope')]),
      tally(['export-traces', empty]),
      tally(['export-traces', broken, '--endpoint', receiver.url]),
      tally(['export-traces', good, '--endpoint', down]),
    ]);
    receiver.answerWith(400);
    const refused = await tally(['export-traces', good, '--endpoint', receiver.url]);

    for (const result of [noFolder, noFile, notJson, unreachable, refused]) expect(result.code).toBe(2);
    expect(noFolder.stderr).toContain(`${join(empty, 'nope')}: no such folder`);
    expect(noFile.stderr).toContain(`${join(empty, TRACES_FILE)}: no such file`);
    expect(notJson.stderr).toContain(`${join(broken, TRACES_FILE)}: not JSON`);
    expect(unreachable.stderr).toContain(`${down}/v1/traces (http/protobuf) did not take the spans (0 of 1 sent): connect ECONNREFUSED`);
    expect(refused.stderr).toContain(`${receiver.url}/v1/traces (http/protobuf) did not take the spans (0 of 1 sent): Bad Request`);
    for (const result of [noFolder, noFile, notJson, unreachable, refused]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('of the fixed pool has no ERROR span, though jobs failed under the hangs', async () => {
    otelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const from = receiver.requests.length;
    const { report } = await executeRun({ scenario: 'watchdog-timeout', pool: 'fixed', out: tempDir() });
    expect(report.verdict.code).toBe(0);
    const spans = spansOf(receiver.requests.slice(from).map((r) => r.body));
    const run = expectWellFormed(spans);
    expect(spans.filter((s) => s.status.code === ERROR).map((s) => s.name)).toEqual([]);
    expect(run.attributes['tally.run.violation_count']).toBe(0);
    expect(spans.filter((s) => s.name === 'job' && s.attributes['tally.job.ok'] === false).length).toBeGreaterThan(0);
  });
});
