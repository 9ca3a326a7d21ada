// `tally serve --driver chromium`: the service in front of real Chromium browsers, the target site
// on loopback, and the OS's process table saying that nothing of the run outlives it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRunProcesses } from '../harness/os/run-processes.ts';
import { tally, tempDir } from './helpers.ts';
import { needsBrowser } from './needs.ts';
import { startService, stopService } from './service-process.ts';

const out = tempDir('tally-service-chromium-');

describe.runIf(needsBrowser('chromium'))('tally serve on Chromium', () => {
  it('scrapes the target site in real browsers, refuses other origins, and leaves no process after SIGTERM', {
    timeout: 120_000,
  }, async () => {
    const folder = join(out, 'chromium');
    const service = await startService(['--driver', 'chromium', '--out', folder]);
    const state = (await (await fetch(`${service.url}/state`)).json()) as { target: string };
    const { target } = state;
    expect(target).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const [byStore, byUrl, elsewhere] = await Promise.all([
      service.post({ store: 'store-1', pages: 2 }),
      service.post({ url: `${target}/store/acme/reviews`, pages: 1 }),
      service.post({ url: 'http://127.0.0.2:9/store/acme/reviews' }),
    ]);
    expect([byStore.status, byUrl.status, elsewhere.status]).toEqual([200, 200, 400]);
    expect(await byStore.json()).toMatchObject({ ok: true, reviews: 20 });
    expect(await byUrl.json()).toMatchObject({ ok: true, store: 'acme', reviews: 10 });

    expect(await stopService(service)).toEqual({ code: 0, signal: null });
    const events = readFileSync(join(folder, 'history.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const runId = events[0].data.runId as string;
    expect(runId).toBeTruthy();
    // The OS saw real browsers during the run, and none of them after it.
    expect(events.some((event) => event.kind === 'os.sample' && event.data.browsers.length > 0)).toBe(true);
    expect(listRunProcesses(runId)).toEqual([]);
    const visited = events.filter((event) => event.kind === 'driver.call' && event.data.op === 'goto').map((event) => event.data.url);
    expect(visited).toHaveLength(3);
    for (const url of visited) expect(url.startsWith(`${target}/store/`)).toBe(true);
    expect(JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')).verdict.verdict).toBe('pass');
  });

  it("tally load drives the Chromium service with autocannon and its verdict is the run's", { timeout: 120_000 }, async () => {
    const folder = join(out, 'load');
    // Four requests, however long a busy machine takes to launch the browsers: a load cut at a fixed
    // duration hangs up on the jobs still running, and they are then abandoned, not worked.
    const result = await tally(['load', '--driver', 'chromium', '--connections', '2', '--requests', '4', '--pages', '1', '--out', folder]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    expect(report.load.status['5xx']).toBe(0);
    expect(report.load.errors).toBe(0);
    expect(report.load.requests).toBe(4);
    // Jobs ran in Chromium through HTTP.
    const history = readFileSync(join(folder, 'history.ndjson'), 'utf8');
    expect(history).toMatch(/"kind":"job\.end".*"ok":true/);
    const first = JSON.parse(history.split('\n')[0]!);
    expect(listRunProcesses(first.data.runId)).toEqual([]);
  });
});
