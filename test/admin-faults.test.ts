// The service's admin channel (POST /admin/faults) end to end on the sim driver: who may strike,
// what a strike must say, and that a strike is the same fault.start a scheduled one is, counted by
// the verdict. The service runs in its own process, reached over real sockets.
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyOf, tally, tempDir } from './helpers.ts';
import { startService, stopService } from './service-process.ts';

const out = tempDir('tally-admin-faults-');
const SCENARIO = 'test/fixtures/scenarios/admin-crash.scenario.ts';
const TOKEN = 'admin-faults-test-token';

/** An address of this machine that is not loopback: a request from it is a request from the network. */
function outsideAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((info) => info?.family === 'IPv4' && !info.internal)?.address;
  if (address === undefined) throw new Error('this test needs a non-loopback IPv4 address on this machine (none found)');
  return address;
}

describe('POST /admin/faults', () => {
  it('answers loopback only and with the token, refuses malformed strikes naming the field, and a strike is counted by the verdict', {
    timeout: 60_000,
  }, async () => {
    const folder = join(out, 'strike');
    // Listening on every address (which needs the token) so that the same service can be asked from outside loopback.
    const service = await startService([SCENARIO, '--faults', 'admin', '--host', '0.0.0.0', '--port', '0', '--out', folder], {
      TALLY_TOKEN: TOKEN,
    });
    const port = new URL(service.url).port;
    const auth = { authorization: `Bearer ${TOKEN}` };
    const strike = (body: unknown, headers: Record<string, string> = auth, host = '127.0.0.1') =>
      fetch(`http://${host}:${port}/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const crash = { kind: 'crash', entry: 0 };

    const refused: [string, () => Promise<Response>, number, RegExp][] = [
      ['from outside loopback, even with the token', () => strike(crash, auth, outsideAddress()), 403, /only to this machine/],
      ['without the token', () => strike(crash, {}), 401, /^authorization: /],
      ['an unknown field', () => strike({ ...crash, blast: 'radius' }), 400, /blast/],
      ['an unknown kind', () => strike({ kind: 'melt' }), 400, /^kind: /],
      ['a hang without its length', () => strike({ kind: 'hang' }), 400, /^forMs: /],
      [
        'an entry of another kind',
        () => strike({ kind: 'stall', entry: 0 }),
        400,
        /^entry: the service's scenario has no stall fault at 0/,
      ],
      [
        'not JSON',
        () => fetch(`${service.url}/admin/faults`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{' }),
        400,
        /not valid JSON/,
      ],
      ['a wrong method', () => fetch(`${service.url}/admin/faults`, { headers: auth }), 405, /takes POST/],
    ];
    for (const [what, send, status, problem] of refused) {
      const response = await send();
      expect(response.status, what).toBe(status);
      expect(((await response.json()) as { error: string }).error, what).toMatch(problem);
    }
    const state = (await (await fetch(`${service.url}/state`, { headers: auth })).json()) as { faults: unknown };
    expect(state.faults).toEqual({ from: 'admin', scenario: ['crash'] });

    const post = (pages: number) =>
      fetch(`${service.url}/jobs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ store: 'store-1', pages }),
      });
    expect((await post(1)).status).toBe(200);
    // A long job to strike: the strike waits for it to work (afterWorking), as a scheduled one does.
    const struckJob = post(30);
    const answer = await strike({ ...crash, afterWorking: 1 });
    expect(answer.status).toBe(200);
    expect(['struck', 'waiting']).toContain(((await answer.json()) as { outcome: string }).outcome);
    expect((await struckJob).status).toBe(502);
    // No job works now: a second strike waits, and is still waiting when the service stops. It was never
    // due, so it counts neither as struck nor as missed.
    const waiting = await strike({ ...crash, afterWorking: 1 });
    expect(((await waiting.json()) as { outcome: string }).outcome).toBe('waiting');

    // Without the first strike the run is undecided (its crash fault never struck); with it, the fixed pool passes.
    expect(await stopService(service)).toEqual({ code: 0, signal: null });
    expect(historyOf(folder).filter((event) => event.kind === 'fault.pending' || event.kind === 'fault.missed')).toEqual([
      expect.objectContaining({ kind: 'fault.pending', data: { fault: 'crash', entry: 0 } }),
    ]);
    // Judged again offline, the saved history gives the verdict the service gave.
    expect((await tally(['check', folder])).code).toBe(0);
    // One strike, the one asked for: nothing refused struck anything.
    const starts = historyOf(folder).filter((event) => event.kind === 'fault.start');
    expect(starts.map((event) => event.data)).toEqual([expect.objectContaining({ fault: 'crash', entry: 0, strike: 1 })]);
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    expect(report.verdict.verdict).toBe('pass');
  });
});
