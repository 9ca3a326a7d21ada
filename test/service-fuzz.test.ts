// Malformed requests by the thousand against `tally serve` (sim driver, loopback): bodies, types,
// sizes, headers, paths, methods and URLs to other hosts, `file:`, link-local and redirecting
// targets, and strikes the admin channel cannot take. Every answer is a 4xx with a message (never
// a 5xx, never a dropped connection), no browser is ever sent anywhere but the target site, and no
// fault strikes. fast-check prints a seed to replay a failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../harness/history/events.ts';
import { tempDir } from './helpers.ts';
import { startService, stopService } from './service-process.ts';

const out = tempDir('tally-service-fuzz-');
const RUNS = 1_000;

/** URLs a job must never reach: other hosts, ports, schemes, credentials, and the target's own non-review paths. */
const foreignUrl = fc.oneof(
  fc.constantFrom(
    'file:///etc/passwd',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'http://[::1]:22/',
    'gopher://127.0.0.1:6379/_INFO',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'http://127.0.0.1:0/redirect?to=http://169.254.169.254/',
    'http://127.0.0.1:0/store/a/reviews/../../admin',
    'http://user:pw@127.0.0.1:0/store/a/reviews',
    'http://127.0.0.1:0/store/%2e%2e/reviews',
    'http://localhost:0/store/a/reviews',
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string(),
);

/** A body that breaks the schema somewhere: a wrong type, a range, an unknown field, a bad store, a foreign URL. */
const badBody = fc.oneof(
  fc.record({
    store: fc.constant('store-1'),
    pages: fc.oneof(
      fc.integer({ max: 0 }),
      fc.integer({ min: 101 }),
      fc.double().filter((pages) => !Number.isInteger(pages)),
      fc.string(),
      fc.constant(null),
    ),
  }),
  fc.record({ store: fc.string().filter((s) => !/^[a-z0-9][a-z0-9-]{0,63}$/.test(s)) }),
  fc.record({ url: foreignUrl }),
  fc.record({ store: fc.constant('store-1'), url: foreignUrl }),
  fc
    .dictionary(
      fc.string().filter((key) => !['store', 'url', 'pages'].includes(key)),
      fc.jsonValue(),
      { minKeys: 1 },
    )
    .map((extra) => ({ store: 'store-1', ...extra })),
  fc
    .oneof(fc.jsonValue(), fc.constant({}))
    .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0),
);

/**
 * `POST /admin/faults` bodies it must refuse. The service scenario has no faults of its own, so a
 * strike that names an `entry` can count as none of them; a strike without one, well formed, would
 * strike, and is not generated.
 */
const badStrike = fc.oneof(
  fc.record({ kind: fc.constantFrom(...FAULT_KINDS), forMs: fc.integer({ min: 1, max: 60_000 }), entry: fc.nat() }),
  fc.record({ kind: fc.string().filter((kind) => !(FAULT_KINDS as readonly string[]).includes(kind)) }),
  fc.record({ kind: fc.constantFrom('hang', 'slowClose') }),
  fc.record({ kind: fc.constantFrom(...FAULT_KINDS), forMs: fc.oneof(fc.integer({ max: -1 }), fc.string(), fc.constant(null)) }),
  fc.record({
    kind: fc.constant('crash'),
    entry: fc.oneof(
      fc.integer({ max: -1 }),
      fc.double().filter((n) => !Number.isInteger(n)),
      fc.string(),
    ),
  }),
  fc
    .dictionary(
      fc.string().filter((key) => !['kind', 'target', 'forMs', 'op', 'afterWorking', 'entry'].includes(key)),
      fc.jsonValue(),
      { minKeys: 1, maxKeys: 3 },
    )
    .map((extra) => ({ kind: 'crash', ...extra })),
  fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
);

type Request = { method: string; path: string; headers: Record<string, string>; body: string | undefined };

/** A JSON POST to `path` whose body text is `body`, well formed or not. */
const postJson = (path: string, body: string): Request => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body });

const request: fc.Arbitrary<Request> = fc.oneof(
  {
    weight: 6,
    arbitrary: badBody.map((body) => postJson('/jobs', JSON.stringify(body))),
  },
  fc.string().map((text) => postJson('/jobs', `{${text}`)),
  {
    weight: 3,
    arbitrary: badStrike.map((body) => postJson('/admin/faults', JSON.stringify(body))),
  },
  fc.string().map((text) => postJson('/admin/faults', `[${text}`)),
  fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', '')
    .map((type) => ({
      method: 'POST',
      path: '/jobs',
      headers: (type ? { 'content-type': type } : {}) as Record<string, string>,
      body: '{"store":"store-1"}',
    })),
  fc
    .integer({ min: 16 * 1024 + 1, max: 64 * 1024 })
    .map((size) => postJson('/jobs', JSON.stringify({ store: 'store-1', pad: 'x'.repeat(size) }))),
  fc
    .tuple(fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'POST'), fc.webPath(), fc.string({ maxLength: 20 }))
    .filter(
      ([method, path]) =>
        !(method === 'POST' && ['/jobs', '/shutdown'].includes(path)) &&
        !(method === 'GET' && ['/healthz', '/readyz', '/metrics', '/state', '/violations'].includes(path)),
    )
    .map(([method, path, query]) => ({
      method,
      path: `${path || '/'}?${encodeURIComponent(query)}`,
      headers: {},
      body: method === 'GET' ? undefined : '{}',
    })),
  fc
    .integer({ min: 9_000, max: 20_000 })
    .map((size) => ({ method: 'GET', path: '/state', headers: { 'x-pad': 'x'.repeat(size) }, body: undefined })),
  fc
    .integer({ min: 2_100, max: 6_000 })
    .map((size) => ({ method: 'GET', path: `/state?${'q'.repeat(size)}`, headers: {}, body: undefined })),
);

describe('tally serve under malformed requests', () => {
  it(`answers ${RUNS} malformed requests with a 4xx naming the problem, and sends no browser off the target site`, {
    timeout: 120_000,
  }, async () => {
    const folder = join(out, 'fuzz');
    const service = await startService(['--out', folder]);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path, headers, body }) => {
        const response = await fetch(`${service.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        // node answers 431 itself with no body; every other refusal names its problem.
        if (response.status !== 431) expect(((await response.json()) as { error: string }).error).toMatch(/\S/);
        else await response.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
    const { body: health } = await fetch(`${service.url}/healthz`).then(async (r) => ({ body: await r.json() }));
    expect(health).toEqual({ status: 'ok' });
    // No request became a job, so no job worked: the run cannot say the pool is right (undecided, 2).
    expect(await stopService(service)).toEqual({ code: 2, signal: null });
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as { verdict: { verdict: string; why: string } };
    expect(report.verdict.verdict).toBe('unknown');
    expect(report.verdict.why).toMatch(/job/);
    const events = readFileSync(join(folder, 'history.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    // Not one malformed request became a job, nor a strike.
    expect(events.filter((event) => event.kind === 'driver.call' && event.data.op === 'goto')).toEqual([]);
    expect(events.filter((event) => event.kind.startsWith('fault.'))).toEqual([]);
    expect([...statuses.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
  });
});
