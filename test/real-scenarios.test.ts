// The story's other scenarios on real Chromium give the verdicts they give under sim: legacy
// fails (exit 1) with its counter drifting from the sessions, fixed passes (exit 0). A real crash
// is a SIGKILL, a page crash a SIGKILL of the renderers, a stall a request the site never answers, a throw an exception inside the work.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tally, tempDir } from './helpers.ts';
import { needsBrowser } from './needs.ts';

const out = tempDir();

/** `tally run` of a shipped scenario on real Chromium into `folder`: its exit code, output and report.json. */
async function runOnChromium(scenario: string, pool: string, folder: string) {
  const result = await tally([
    'run',
    `scenarios/${scenario}.scenario.ts`,
    '--pool',
    pool,
    '--driver',
    'chromium',
    '--out',
    folder,
    '--quiet',
  ]);
  return { result, report: JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) };
}

describe.runIf(needsBrowser('chromium'))('story scenarios on real Chromium', () => {
  for (const scenario of ['browser-crash', 'page-crash', 'exception-mid-work', 'bad-pages', 'network-stall', 'watchdog-storm']) {
    it(`${scenario}: legacy 1, fixed 0`, { timeout: 300_000 }, async () => {
      const verdicts: Record<string, number | null> = {};
      for (const pool of ['legacy', 'fixed']) {
        const folder = join(out, scenario, pool);
        const { result, report } = await runOnChromium(scenario, pool, folder);
        verdicts[pool] = result.code;
        if (pool === 'legacy') expect(report.invariants['counter-matches-sessions'], result.stdout).toBeGreaterThan(0);
        else expect(report.figures.faultCount, result.stdout).toBeGreaterThan(0);
        // The fault really happened in the browser: Playwright saw the renderer die.
        if (scenario === 'page-crash') expect(readFileSync(join(folder, 'history.ndjson'), 'utf8')).toContain('"kind":"page.crash"');
        // The site's bad answers, as the browser and the review job's page function saw them.
        if (scenario === 'bad-pages')
          expect(readFileSync(join(folder, 'history.ndjson'), 'utf8')).toMatch(
            /bot challenge at|error page \(HTTP 503\) at|ERR_CONNECTION_RESET/,
          );
      }
      expect(verdicts).toEqual({ legacy: 1, fixed: 0 });
    });
  }

  it('launch-fail: the fixed pool gives back the slot of a launch that failed, a pool that never rolls it back is caught', {
    timeout: 300_000,
  }, async () => {
    const verdicts: Record<string, number | null> = {};
    for (const pool of ['fixed', './examples/pools/buggy/counter-before-failing-launch.ts']) {
      const folder = join(out, 'launch-fail', pool.replace(/\W+/g, '-'));
      const { result, report } = await runOnChromium('launch-fail', pool, folder);
      verdicts[pool] = result.code;
      // A job failed from the fault. Not necessarily the first to fail: on a starved machine a job's
      // watchdog can fire before any launch fails.
      const history = readFileSync(join(folder, 'history.ndjson'), 'utf8');
      expect(history, result.stdout).toMatch(/"kind":"job\.end".*"error":"[^"]*\(launchFail\)/);
      // Each way the fault fails a real call happened: a launch at once, a launch timed out, a new page.
      for (const error of ['browserType.launch: Target page', 'browserType.launch: Timeout 20000ms', 'browserContext.newPage: Target page'])
        expect(history).toContain(error);
      if (pool !== 'fixed') expect(report.invariants['counter-matches-sessions'], result.stdout).toBeGreaterThan(0);
    }
    expect(verdicts).toEqual({ fixed: 0, './examples/pools/buggy/counter-before-failing-launch.ts': 1 });
  });
});
