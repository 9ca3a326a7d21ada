// The CLI as a user meets it: exit codes, bad input named precisely, compare, offline check, Ctrl-C.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tally, tempDir } from './helpers.ts';

describe('tally run', () => {
  it('exits 1 on the legacy pool and 0 on the fixed pool, and writes the run folder', async () => {
    const out = tempDir();
    const legacy = await tally([
      'run',
      'scenarios/exception-mid-work.scenario.ts',
      '--pool',
      'legacy',
      '--out',
      join(out, 'legacy'),
      '--quiet',
    ]);
    expect(legacy.code).toBe(1);
    expect(legacy.stdout).toMatch(/^FAIL: \d+ violations found/);
    const fixed = await tally(['run', 'exception-mid-work', '--pool', 'fixed', '--out', join(out, 'fixed'), '--quiet']);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/^PASS/);
    for (const file of ['history.ndjson', 'report.json', 'report.md', 'report.html', 'scenario.json'])
      expect(existsSync(join(out, 'legacy', file))).toBe(true);

    const compared = await tally(['compare', join(out, 'legacy'), join(out, 'fixed')]);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/legacy@exception-mid-work\s+fixed@exception-mid-work/);
    expect(compared.stdout).toMatch(/verdict\s+fail\s+pass/);

    const checked = await tally(['check', join(out, 'legacy')]);
    expect(checked.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'legacy', 'report.json'), 'utf8'));
    for (const [name, count] of Object.entries(report.invariants)) {
      if (name !== 'budget') expect(checked.stdout).toMatch(new RegExp(`^${name}\\s+${count}$`, 'm'));
    }
  });

  it('shows progress and the first violation while it runs', async () => {
    const result = await tally(['run', 'watchdog-timeout', '--pool', 'legacy', '--out', tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/watchdog-timeout \/ legacy .*jobs \d+ .*violations \d+/);
    expect(result.stderr).toMatch(/first violation: \[[a-z-]+\] .+ at harness\/pool\/legacy\/legacy-pool\.ts:\d+/);
  });

  it('prints a broken budget as the first violation, with its figure and time window, when no invariant broke', async () => {
    const result = await tally(['run', 'watchdog-storm', '--pool', 'fixed', '--set', 'pool.jitterMs=0', '--out', tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /first violation: \[budget\] peak closes per second \d+ > budget 10 \(in the second from \d\d:\d\d:\d\d\.\d{3} to \d\d:\d\d:\d\d\.\d{3}\)/,
    );
  });

  it('names every invalid field of a scenario and exits 2', async () => {
    const result = await tally(['run', 'test/fixtures/scenarios/bad.scenario.ts', '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('test/fixtures/scenarios/bad.scenario.ts: invalid scenario');
    expect(result.stderr).toMatch(/workload\.concurrency: /);
    expect(result.stderr).toMatch(/faults\.0: give exactly one of `at` or `every`/);
    expect(result.stderr).toMatch(/colour/);
  });

  it('rejects an override that breaks the schema, naming the field', async () => {
    const result = await tally(['run', 'soak', '--set', 'workload.concurrency=0', '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/workload\.concurrency/);
  });

  it.each([
    [['run', 'no-such-scenario'], /scenario no-such-scenario: no such file/],
    [['run', 'soak', '--pool', './nowhere.ts'], /--pool \.\/nowhere\.ts: no such pool/],
    [
      ['run', 'soak', '--pool', 'test/fixtures/pools/no-create-pool.ts'],
      /no-create-pool\.ts: does not export createPool\(env\) \(found exports: makePool\)/,
    ],
    [
      ['run', 'soak', '--pool', 'test/fixtures/pools/bad-inspect-pool.ts'],
      /bad-inspect-pool\.ts: inspect\(\) returned counter = "3"; it must be a number/,
    ],
    [
      ['run', 'soak', '--pool', 'test/fixtures/pools/throwing-pool.ts'],
      /throwing-pool\.ts: createPool\(env\) threw: cannot connect to the browser farm/,
    ],
    [['run', 'soak', '--driver', 'chrome'], /--driver chrome: unknown driver/],
    [['run', 'soak', '--seed=-4'], /--seed -4: expected a non-negative integer/],
    [['run', 'soak', '--seed', 'abc'], /--seed abc: expected a non-negative integer/],
    [['run', 'soak', '--colour', 'blue'], /Unknown option '--colour'/],
    [['compare', 'only-one'], /compare: give two run folders/],
    [['compare', 'package.json', 'README.md'], /package\.json is not a Tally report/],
    [['compare', 'package.json', 'README.md', '--out', 'page.html'], /compare: --out names the page of --html; add --html/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('bad input %j exits 2 with a clear message', async (args, message) => {
    const result = await tally(args[0] === 'run' ? [...args, '--quiet', '--out', tempDir()] : args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('ends undecided, keeping what it recorded, when the pool breaks mid-run', async () => {
    const out = tempDir();
    const result = await tally([
      'run',
      'exception-mid-work',
      '--pool',
      'test/fixtures/pools/inspect-throws-pool.ts',
      '--out',
      out,
      '--quiet',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/error: .*inspect-throws-pool\.ts: inspect\(\) threw: bookkeeping unavailable/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.endReason).toBe('error');
    expect(report.figures.events).toBeGreaterThan(50);
  });

  it('loads a TypeScript pool that lives outside any ES module package', async () => {
    const dir = tempDir();
    const file = join(dir, 'their-pool.ts');
    // The fixture pool, moved where no package.json says "type": "module".
    writeFileSync(
      file,
      readFileSync(join(ROOT, 'test/fixtures/pools/simple-pool.ts'), 'utf8').replace(
        /^import type .*$/m,
        'type Job = any; type Pool = any; type PoolEnv = any;',
      ),
    );
    const result = await tally(['run', 'exception-mid-work', '--pool', file, '--out', join(dir, 'run'), '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('on SIGINT stops, writes what it has and exits undecided (2)', async () => {
    const out = tempDir();
    // Ten simulated days: long enough to be interrupted.
    const result = await tally(['run', 'soak', '--pool', 'fixed', '--set', 'durationMs=864000000', '--out', out], {
      onSpawn: (child) => {
        let sent = false;
        child.stderr!.on('data', (chunk: Buffer) => {
          // The first status line means the run (and its signal handlers) has started.
          if (sent || !/soak \/ fixed/.test(chunk.toString())) return;
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 500);
        });
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SIGINT: stopping the run/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.endReason).toBe('interrupted');
    expect(report.verdict.verdict).toBe('unknown');
    const lines = readFileSync(join(out, 'history.ndjson'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!).kind).toBe('run.end');
    expect(report.figures.events).toBe(lines.length);
  });
});
