// `tally serve` end to end on the sim driver: a real child process, real HTTP over loopback, the
// run folder it writes. Each test stops the service it started and checks that it exited.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACES_FILE } from '../harness/telemetry/traces/export-spans.ts';
import { tally, tempDir } from './helpers.ts';
import { type OtlpReceiver, spansOf, startOtlpReceiver } from './otlp-receiver.ts';
import { type ServiceProcess, startService, stopService } from './service-process.ts';

const out = tempDir('tally-service-');
const TEST_MS = 60_000;

function history(folder: string): { kind: string; session?: string; data: Record<string, unknown> }[] {
  return readFileSync(join(folder, 'history.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

// biome-ignore lint/suspicious/noExplicitAny: the service's JSON, read field by field by the assertions
type Json = any;

async function bodyOf(response: Response | Promise<Response>): Promise<Json> {
  return (await response).json();
}

async function json(service: ServiceProcess, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${service.url}${path}`, { headers });
  return { status: response.status, body: await bodyOf(response) };
}

/** Polls `probe` every 25 ms until it holds; fails the test with `what` after `ms`. */
async function until(what: string, probe: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('tally serve on the sim driver', () => {
  it('answers a job, and refuses bad requests with a 4xx naming the problem before any browser sees them', {
    timeout: TEST_MS,
  }, async () => {
    const folder = join(out, 'validation');
    const service = await startService(['--out', folder]);
    const ok = await service.post({ store: 'store-1', pages: 2 });
    expect(ok.status).toBe(200);
    expect(await bodyOf(ok)).toMatchObject({ ok: true, store: 'store-1', pages: 2, reviews: 20 });
    // The history streams into the run folder while the service serves.
    await until('the job is in the history on disk', async () => history(folder).some((event) => event.kind === 'job.end'));

    const refused: [string, () => Promise<Response>, number, RegExp][] = [
      ['a wrong type', () => service.post({ store: 'store-1', pages: 'two' }), 400, /^pages: /],
      ['an unknown field', () => service.post({ store: 'store-1', pages: 1, callback: 'x' }), 400, /callback/],
      ['a path in the store', () => service.post({ store: '../../admin' }), 400, /^store: /],
      ['not JSON', () => service.post('{"store":'), 400, /not valid JSON/],
      ['a file: URL', () => service.post({ url: 'file:///etc/passwd' }), 400, /^url: only the target site/],
      ['a link-local URL', () => service.post({ url: 'http://169.254.169.254/latest/meta-data/' }), 400, /^url: only the target site/],
      ['another loopback port', () => service.post({ url: 'http://127.0.0.1:1/store/a/reviews' }), 400, /^url: only the target site/],
      ['another content type', () => service.post('store=1', { headers: { 'content-type': 'text/plain' } }), 415, /^content-type: /],
      ['a body over the limit', () => service.post({ store: 'store-1', pad: 'x'.repeat(20_000) }), 413, /^body: larger than/],
      ['a wrong method', () => fetch(`${service.url}/jobs`), 405, /takes POST/],
      ['an unknown path', () => fetch(`${service.url}/admin`), 404, /no route \/admin/],
    ];
    for (const [what, send, status, problem] of refused) {
      const response = await send();
      expect(response.status, what).toBe(status);
      expect((await bodyOf(response)).error, what).toMatch(problem);
    }
    const huge = await fetch(`${service.url}/state`, { headers: { 'x-padding': 'x'.repeat(10_000) } });
    expect(huge.status).toBe(431);

    expect(await stopService(service)).toEqual({ code: 0, signal: null });
    const events = history(folder);
    // Only the valid request became a job; every page a browser was sent to is on the target site.
    expect(events.filter((event) => event.kind === 'job.start')).toHaveLength(1);
    const visited = events.filter((event) => event.kind === 'driver.call' && event.data.op === 'goto').map((event) => event.data.url);
    expect(visited).toHaveLength(2);
    for (const url of visited) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:0\/store\/store-1\/reviews\?page=\d$/);
  });

  it('under 10x its capacity answers 429 with Retry-After, never a 5xx, answers every request, and is idle afterwards', {
    timeout: TEST_MS,
  }, async () => {
    const service = await startService(['--out', join(out, 'overload'), '--queue', '2', '--queue-wait-ms', '300']);
    // Capacity 4 (the scenario's maxBrowsers): 40 jobs of 10 pages (~1.5 s each) at once.
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const response = await service.post({ store: `store-${i}`, pages: 10 });
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await bodyOf(response) };
      }),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(
      statuses.every((status) => status === 200 || status === 429),
      statuses.join(','),
    ).toBe(true);
    const rejected = answers.filter((answer) => answer.status === 429);
    expect(rejected.length).toBeGreaterThan(0);
    for (const answer of rejected) {
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answer.body.error).toMatch(/^overloaded \((queue full|waited too long)\)/);
    }
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(4);

    const { body: state } = await json(service, '/state');
    expect(state).toMatchObject({ status: 'ready', jobs: { running: 0, queued: 0, capacity: 4 }, violations: 0 });
    expect(state.pool.counter).toBe(0);
    expect(state.browsers.browsers).toBe(0);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    const refusals = [...metrics.matchAll(/^tally_service_rejected_total\{reason="[^"]+"\} (\d+)$/gm)].map((match) => Number(match[1]));
    expect(refusals.reduce((sum, n) => sum + n, 0)).toBe(rejected.length);
    expect(metrics).toMatch(/^http_server_request_duration_seconds_count\{http_route="\/jobs",http_response_status_code="429"\} \d+$/m);
    expect(await stopService(service)).toEqual({ code: 0, signal: null });
  });

  it('on SIGTERM answers every accepted request, refuses new ones with 503, then closes the pool and writes the report', {
    timeout: TEST_MS,
  }, async () => {
    const folder = join(out, 'drain');
    const service = await startService(['--out', folder]);
    const inFlight = Array.from({ length: 4 }, (_, i) => service.post({ store: `store-${i}`, pages: 10 }));
    await until('four jobs run', async () => (await json(service, '/state')).body.jobs.running === 4);
    service.child.kill('SIGTERM');
    await until('the service is draining', async () => (await fetch(`${service.url}/readyz`)).status === 503);
    const late = await service.post({ store: 'store-9', pages: 1 });
    expect(late.status).toBe(503);
    expect((await bodyOf(late)).error).toMatch(/shutting down/);
    const answered = await Promise.all(inFlight.map(async (response) => (await response).status));
    expect(answered).toEqual([200, 200, 200, 200]);

    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(() => process.kill(service.child.pid!, 0)).toThrow();
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    expect(report.verdict.verdict).toBe('pass');
    const events = history(folder);
    expect(events.filter((event) => event.kind === 'job.end' && event.data.ok === true)).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({ kind: 'run.end', data: { reason: 'done' } });
  });

  it('exits at once on a second signal, with the drain still waiting on a job', { timeout: TEST_MS }, async () => {
    const service = await startService(['--out', join(out, 'second-signal')]);
    // 100 pages: about 15 s, far longer than the wait below allows.
    const long = service.post({ store: 'store-1', pages: 100 }).catch((error: Error) => error);
    await until('the job runs', async () => (await json(service, '/state')).body.jobs.running === 1);
    service.child.kill('SIGTERM');
    await until('the service is draining', async () => (await fetch(`${service.url}/readyz`)).status === 503);
    const signalled = performance.now();
    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 130, signal: null });
    expect(performance.now() - signalled).toBeLessThan(5_000);
    // The caller of the abandoned job sees its connection end, not an answer.
    expect(await long).toBeInstanceOf(Error);
  });

  it('tells the pool a job is abandoned when its client hangs up, while the job waits for its browser and while it works', {
    timeout: TEST_MS,
  }, async () => {
    const folder = join(out, 'hang-up');
    // Once a job works, the next launch hangs for 30 scenario seconds (3 s real) before it fails: that job waits for its browser.
    const service = await startService(['--out', folder, '--set', 'faults=[{"kind":"launchFail","at":0,"forMs":30000}]']);
    const seen = (kind: string, session: string) => history(folder).some((event) => event.kind === kind && event.session === session);
    const hangUpWhen = async (session: string, kind: string, pages: number) => {
      const client = new AbortController();
      const answer = service.post({ store: 'store-1', pages }, { signal: client.signal }).catch((error: Error) => error);
      await until(`${session} has a ${kind}`, async () => seen(kind, session));
      client.abort();
      expect(await answer).toBeInstanceOf(Error);
      await until(`${session} is abandoned`, async () => seen('job.abandon', session));
    };
    await hangUpWhen('r1', 'job.work', 100); // 100 pages: about 15 s, it is at work when its client leaves
    await hangUpWhen('r2', 'pool.counter', 1); // its slot taken, its launch hanging: no page to work on yet
    // The pool still serves once both are over.
    expect((await service.post({ store: 'store-3', pages: 1 })).status).toBe(200);

    expect(await stopService(service)).toEqual({ code: 0, signal: null });
    const events = history(folder);
    const abandons = events.filter((event) => event.kind === 'job.abandon');
    expect(abandons.map((event) => [event.session, event.data.working])).toEqual([
      ['r1', true],
      ['r2', false],
    ]);
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    expect(report.figures.jobs).toMatchObject({ started: 3, ok: 1, abandoned: 2, failed: 0 });
    // A pass verdict: quiescence after close held, no browser, page or slot left behind.
    expect(report.verdict.verdict).toBe('pass');
    expect(report.violations).toEqual([]);
  });

  it('says what is wrong with its command line in one line, exit 2', { timeout: TEST_MS }, async () => {
    const cases: [string[], RegExp][] = [
      [['serve', '--port', 'http'], /^tally: --port http: expected a port number, 0 to 65535/],
      [['serve', '--queue-wait-ms', '0'], /^tally: --queue-wait-ms 0: expected a whole number, 1 or more/],
      [['serve', 'service', 'soak'], /^tally: serve: one scenario at a time/],
      [['load', '--url', 'ftp://127.0.0.1/'], /^tally: --url ftp:\/\/127\.0\.0\.1\/: expected an http:\/\/ URL/],
      [['load', '--requests', '4', '--duration', '3'], /^tally: --requests and --duration: one at a time/],
      [['load', '--requests', '0'], /^tally: --requests 0: expected a whole number, 1 or more/],
    ];
    const results = await Promise.all(cases.map(([args]) => tally(args)));
    results.forEach((result, i) => {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(cases[i]![1]);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  it('refuses to listen beyond loopback without a token, and with a token asks every caller but the probes for it', {
    timeout: TEST_MS,
  }, async () => {
    const { TALLY_TOKEN: _unset, ...env } = process.env;
    const refusal = await startService(['--host', '0.0.0.0'], { ...env, TALLY_TOKEN: undefined }).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refusal).toMatch(/exited \(2\) before it was ready/);
    expect(refusal).toMatch(/tally: --host 0\.0\.0\.0: listening beyond loopback needs a bearer token .* TALLY_TOKEN \(it is not set\)/);
    expect(refusal).not.toMatch(/\n\s+at /);

    const token = 'a-test-token-of-some-length';
    const service = await startService(['--out', join(out, 'token')], { TALLY_TOKEN: token });
    expect((await json(service, '/state')).status).toBe(401);
    expect((await json(service, '/state', { authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await json(service, '/state', { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await json(service, '/healthz')).status).toBe(200);
    // No job was asked for, so none worked: the service cannot vouch for the pool (undecided).
    expect(await stopService(service)).toEqual({ code: 2, signal: null });
  });

  // The story's watchdog fault on a short watchdog: every working browser hangs past it.
  const watchdogFault = [
    '--set',
    'pool.watchdogMs=5000',
    '--set',
    'pool.jitterMs=0',
    '--set',
    // A service idles between requests: each strike waits for a job at work, and one still waiting when
    // the service is stopped was never due, so the default coverage holds (every strike made struck).
    'faults=[{"kind":"hang","every":3000,"forMs":60000,"target":"all"}]',
    // Every job is meant to time out here, as in the storm: no job has to work for the verdict.
    '--set',
    'coverage.minJobsWorked=0',
  ];

  it('shows the legacy pool breaking its invariants in /violations while it serves, and exits 1; the fixed pool exits 0', {
    timeout: TEST_MS,
  }, async () => {
    const verdicts: Record<string, { violations: number; code: number | null }> = {};
    for (const pool of ['legacy', 'fixed']) {
      const folder = join(out, `watchdog-${pool}`);
      const service = await startService(['--pool', pool, '--out', folder, ...watchdogFault]);
      const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => service.post({ store: `store-${i}`, pages: 20 })));
      // The hang outlasts the watchdog: each job fails, and is answered as failed.
      for (const answer of answers) expect((await bodyOf(answer)).error).toMatch(/watchdog|timed out|abort/i);
      const { body } = await json(service, '/violations');
      if (pool === 'legacy') expect(body.violations.map((v: { invariant: string }) => v.invariant)).toContain('single-release');
      verdicts[pool] = { violations: body.count, code: (await stopService(service)).code };
      const kinds = history(folder).map((event) => event.kind);
      expect(kinds).toContain('fault.start');
      expect(kinds).not.toContain('fault.missed');
      // The saved history, judged again offline, gives the verdict the service gave online.
      expect((await tally(['check', folder])).code).toBe(verdicts[pool]!.code);
    }
    expect(verdicts.legacy!.violations).toBeGreaterThan(0);
    expect(verdicts.legacy!.code).toBe(1);
    expect(verdicts.fixed).toEqual({ violations: 0, code: 0 });
  });

  it('with --checkers off records the legacy pool breaking its invariants, judges nothing while serving (exit 2), and tally check fails it', {
    timeout: TEST_MS,
  }, async () => {
    const folder = join(out, 'checkers-off');
    const service = await startService(['--pool', 'legacy', '--checkers', 'off', '--out', folder, ...watchdogFault]);
    await Promise.all(Array.from({ length: 4 }, (_, i) => service.post({ store: `store-${i}`, pages: 20 })));
    expect((await json(service, '/violations')).body.count).toBe(0);
    expect((await json(service, '/state')).body.verdictSoFar).toMatch(/^not judged while serving \(checkers off\)/);
    expect(await stopService(service)).toEqual({ code: 2, signal: null });
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    expect(report.verdict.why).toContain('its invariants were not checked while it ran (checkers off)');
    const check = await tally(['check', folder]);
    expect(check.code, check.stdout).toBe(1);
    expect(check.stdout).toContain('single-release');
  });

  describe('traces', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const traceparent = `00-${traceId}-${callerSpan}-01`;
    let receiver: OtlpReceiver;
    beforeAll(async () => {
      receiver = await startOtlpReceiver();
    });
    afterAll(() => receiver.close());

    it("puts the job's span tree under the request's span, itself under the caller's traceparent", { timeout: TEST_MS }, async () => {
      const service = await startService(['--out', join(out, 'traced')], {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      });
      const traced = await service.post({ store: 'store-1', pages: 2 }, { headers: { traceparent } });
      expect(traced.status).toBe(200);
      const { id } = await bodyOf(traced);
      expect(await stopService(service)).toEqual({ code: 0, signal: null });

      const spans = spansOf(receiver.requests.map((request) => request.body));
      const server = spans.find((span) => span.traceId === traceId && span.parentSpanId === callerSpan);
      expect(server?.name).toMatch(/^POST/);
      expect(server?.attributes['http.response.status_code'] ?? server?.attributes['http.status_code']).toBe(200);
      const job = spans.find((span) => span.name === 'job' && span.attributes['session.id'] === id);
      expect(job).toMatchObject({ traceId, parentSpanId: server!.spanId });
      // The job's own spans (its browser, its work, its cleanup) follow it into the caller's trace.
      const children = spans.filter((span) => span.parentSpanId === job!.spanId);
      expect(children.length).toBeGreaterThan(0);
      for (const child of children) expect(child.traceId).toBe(traceId);
    });

    it("without a collector, the job in the run folder's trace is the child of the caller's span", { timeout: TEST_MS }, async () => {
      const folder = join(out, 'traced-file');
      const service = await startService(['--out', folder], { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' });
      const { id } = await bodyOf(service.post({ store: 'store-2', pages: 1 }, { headers: { traceparent } }));
      expect(await stopService(service)).toEqual({ code: 0, signal: null });
      const spans = spansOf([JSON.parse(readFileSync(join(folder, TRACES_FILE), 'utf8'))]);
      const job = spans.find((span) => span.name === 'job' && span.attributes['session.id'] === id);
      expect(job).toMatchObject({ traceId, parentSpanId: callerSpan });
    });
  });
});
