// `tally load --url`: a service the test started, loaded by a tally that did not start it, which
// plays the scenario's fault schedule over the service's admin channel; the service's own verdict
// counts those strikes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyOf, tally, tempDir } from './helpers.ts';
import { startService, stopService } from './service-process.ts';

const out = tempDir('tally-load-url-');

// 1/200: the watchdog lasts 1.5 s and a hang (6 scenario minutes) 1.8 s, so the job a hang strikes
// times out; a hang is due every 2 scenario minutes, 0.6 s, so a 3-second load asks for about four.
const SCALE = ['--set', 'real.timeScale=0.005', '--set', 'faults.0.forMs=360000'];

describe('tally load --url', () => {
  it("strikes the scenario's faults through the service's admin channel, and the service's verdict counts them", {
    timeout: 90_000,
  }, async () => {
    const folder = join(out, 'service');
    // --faults admin: the service plays none of its scenario's faults itself; without strikes from outside it could not pass.
    const service = await startService([
      'watchdog-timeout',
      '--pool',
      'fixed',
      '--faults',
      'admin',
      '--port',
      '0',
      '--out',
      folder,
      ...SCALE,
    ]);
    // Each strike names its fault by index: a scenario whose faults differ from the service's is refused before any load.
    const other = await tally(['load', 'browser-crash', '--url', service.url, '--duration', '1']);
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toMatch(
      /^tally: --url http:\S+: the service's scenario has the faults \[hang\], this one \[crash\]: serve the same scenario$/,
    );

    const load = await tally(['load', 'watchdog-timeout', '--url', service.url, '--duration', '3', '--pages', '40', ...SCALE]);
    expect(load.code, load.stdout + load.stderr).toBe(2);
    const line =
      /^faults: (\d+) strikes asked over the admin channel: (\d+) struck, (\d+) found no working session, (\d+) waiting for one, (\d+) refused/m.exec(
        load.stdout,
      );
    expect(line, load.stdout).not.toBeNull();
    const [asked, struck, missed, waiting, refused] = line!.slice(1).map(Number) as [number, number, number, number, number];
    expect(struck).toBeGreaterThan(0);
    expect(refused).toBe(0);
    expect(missed).toBe(0);
    expect(asked).toBe(struck + waiting);

    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain(
      `http_server_request_duration_seconds_count{http_route="/admin/faults",http_response_status_code="200"} ${asked}`,
    );
    expect(await stopService(service)).toEqual({ code: 0, signal: null });
    const events = historyOf(folder);
    const starts = events.filter((event) => event.kind === 'fault.start');
    // Each strike the load asked for is one hang in the service's history (a waiting one struck once a job worked), counted against the scenario's fault 0.
    expect(starts).toHaveLength(asked);
    expect(starts.map((event) => event.data.entry)).toEqual(starts.map(() => 0));
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    expect(report.verdict.verdict).toBe('pass');
    expect(report.coverage.gaps).toEqual([]);
  });

  it("asks no strike of a service that plays the scenario's faults itself", { timeout: 60_000 }, async () => {
    const folder = join(out, 'plays-itself');
    const service = await startService(['watchdog-timeout', '--pool', 'fixed', '--port', '0', '--out', folder, ...SCALE]);
    const load = await tally(['load', 'watchdog-timeout', '--url', service.url, '--duration', '3', '--pages', '40', ...SCALE]);
    expect(load.code, load.stdout + load.stderr).toBe(2);
    expect(load.stdout).toContain(
      "the service plays watchdog-timeout's faults itself (it was not served with --faults admin): none are asked over its admin channel",
    );
    expect(load.stdout).not.toMatch(/strikes asked over the admin channel/);
    // The service answered the load, and not one request reached its admin channel.
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/^http_server_request_duration_seconds_count\{http_route="\/jobs",http_response_status_code="\d+"\} [1-9]/m);
    expect(metrics).not.toContain('http_route="/admin/faults"');
    expect(await stopService(service)).toMatchObject({ signal: null });
  });
});
