// The example pools (examples/pools/), end to end on the sim driver: a correct pool of each
// concurrency design passes every shipped scenario with several seeds, and each buggy one is
// caught with a violation naming the invariant its bug breaks.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InvariantName } from '../harness/checkers/violation.ts';
import { executeRun } from '../harness/commands/execute-run.ts';
import { readHistory } from '../harness/history/read-history.ts';
import { ROOT, tempDir } from './helpers.ts';

const out = tempDir();
const SCENARIOS = readdirSync(join(ROOT, 'scenarios'))
  .filter((file) => file.endsWith('.scenario.ts'))
  .map((file) => file.replace('.scenario.ts', ''))
  .sort();
const SEEDS = [1, 2, 3, 4, 5];

// Every run gets a folder of its own: a run never replaces an earlier one's folder.
let runs = 0;
const nextFolder = () => join(out, String(++runs));
const run = (pool: string, scenario: string, seed: number, overrides: string[] = []) =>
  executeRun({ scenario, pool: `./examples/pools/${pool}.ts`, seed, overrides, out: nextFolder() }).then((r) => r.report);

describe('correct pools of each design', () => {
  it('finds the shipped scenarios', () => {
    expect(SCENARIOS).toContain('browser-crash');
    expect(SCENARIOS).toContain('soak');
  });

  it.each([
    ['browser-per-job', 'a browser per job'],
    ['browser-per-job-close-confirmed', 'a browser per job, its slot given back once the close confirms'],
    ['context-per-job', 'a context per job in shared browsers'],
    ['page-per-job', 'a page per job in shared browsers'],
  ])(
    '%s (%s) passes every scenario with seeds 1–5',
    async (pool) => {
      const failures: string[] = [];
      let jobs = 0;
      for (const scenario of SCENARIOS) {
        for (const seed of SEEDS) {
          const report = await run(pool, scenario, seed);
          jobs += report.figures.jobs.started;
          if (report.verdict.code !== 0) {
            const first = report.violations[0];
            failures.push(
              `${scenario} seed ${seed}: exit ${report.verdict.code} ${first ? `${first.invariant}: ${first.message}` : report.verdict.why}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
      expect(jobs).toBeGreaterThan(SCENARIOS.length * SEEDS.length); // the pool really ran jobs
    },
    900_000,
  );
});

describe('a correct pool that queues when full', () => {
  // The scenarios that fill the pool, abandon waiters or close it under load get every seed; the
  // others, which never make it queue, one seed each: the same proof of no false alarm at a third of the wall time.
  const QUEUEING = ['full-pool', 'abandoned-jobs', 'pool-shutdown'];
  const matrix = SCENARIOS.flatMap((scenario) => (QUEUEING.includes(scenario) ? SEEDS : [1]).map((seed) => [scenario, seed] as const));

  it('browser-per-job-queued passes full-pool, abandoned-jobs and pool-shutdown with seeds 1–5 and the others with seed 1', async () => {
    expect(SCENARIOS).toEqual(expect.arrayContaining(QUEUEING));
    const failures: string[] = [];
    const waits = { handedOver: 0, timedOut: 0, abandonedWaiting: 0 };
    for (const [scenario, seed] of matrix) {
      const folder = nextFolder();
      const { report } = await executeRun({
        scenario,
        pool: './examples/pools/browser-per-job-queued.ts',
        seed,
        overrides: [],
        out: folder,
      });
      if (report.verdict.code !== 0) failures.push(`${scenario} seed ${seed}: exit ${report.verdict.code} ${report.verdict.why}`);
      if (!QUEUEING.includes(scenario)) continue;
      for (const event of readHistory(join(folder, 'history.ndjson'))) {
        if (event.kind === 'pool.counter' && event.data.path === 'handover') waits.handedOver++;
        if (event.kind === 'job.end' && !event.data.ok && /found no free slot/.test(event.data.error ?? '')) waits.timedOut++;
      }
      waits.abandonedWaiting += report.figures.abandons.waiting;
    }
    expect(failures).toEqual([]);
    // The queue really worked: slots handed to waiters, waiters timed out, callers gave up on waiters.
    expect(waits.handedOver).toBeGreaterThan(0);
    expect(waits.timedOut).toBeGreaterThan(0);
    expect(waits.abandonedWaiting).toBeGreaterThan(0);
  }, 900_000);
});

describe('buggy pools', () => {
  it.each<[string, string, InvariantName, RegExp, string[]?]>([
    ['page-left-open-on-failure', 'exception-mid-work', 'counter-matches-browsers', /^counter\(\d+\) < pages\(\d+\)$/],
    ['double-release-on-watchdog', 'watchdog-timeout', 'single-release', /released twice: paths watchdog, finally/],
    ['disconnect-and-finally', 'browser-crash', 'single-release', /released twice: paths disconnected, finally/],
    ['counter-before-failing-launch', 'launch-fail', 'counter-matches-sessions', /^counter\(\d+\) > sessions\(\d+\)$/],
    ['listener-per-job-left', 'exception-mid-work', 'listeners-removed', /^\d+ listeners? left on b\d+ by jobs that ended \(last: j\d+\)$/],
    ['stale-lease-release', 'exception-mid-work', 'lock-held-by-session', /^lock of j\d+ released by j\d+ while j\d+ holds it$/],
    ['page-outside-job-context', 'exception-mid-work', 'pages-close-with-session', /^page b\d+\/p\d+ of j\d+ outlives its session$/],
    [
      'pages-closed-in-batches',
      'exception-mid-work',
      'pages-per-browser',
      /^browser b\d+ has [5-9] pages > maxPagesPerBrowser\(4\)$/,
      ['pool.maxPagesPerBrowser=4'],
    ],
    ['close-returns-while-jobs-run', 'pool-shutdown', 'closed-pool-idle', /^close\(\) returned while j\d+ still works$/],
    ['waiter-handed-slot-after-timeout', 'full-pool', 'no-slot-after-end', /^j\d+ was handed a slot after its job ended$/],
  ])('%s is caught on %s by %s', async (pool, scenario, invariant, message, overrides = []) => {
    const report = await run(`buggy/${pool}`, scenario, 1, overrides);
    expect(report.verdict.code).toBe(1);
    const violation = report.violations.find((v) => v.invariant === invariant);
    expect(violation?.message).toMatch(message);
    expect(violation?.session).toMatch(/^j\d+$/);
  });

  it.each([
    [
      'close-returns-while-jobs-run',
      'pool-shutdown',
      'closed-pool-idle',
      /^examples\/pools\/shared\/watchdog\.ts:\d+:\d+ \(workUnderWatchdog\)$/,
    ],
    [
      'waiter-handed-slot-after-timeout',
      'full-pool',
      'no-slot-after-end',
      /^examples\/pools\/buggy\/waiter-handed-slot-after-timeout\.ts:\d+:\d+/,
    ],
    [
      'waiter-handed-slot-after-timeout',
      'abandoned-jobs',
      'no-slot-after-end',
      /^examples\/pools\/buggy\/waiter-handed-slot-after-timeout\.ts:\d+:\d+/,
    ],
  ] as const)('%s on %s: %s names the call site, within 2 s of wall time', async (pool, scenario, invariant, at) => {
    const folder = nextFolder();
    const { report } = await executeRun({ scenario, pool: `./examples/pools/buggy/${pool}.ts`, seed: 1, overrides: [], out: folder });
    const violation = report.violations.find((v) => v.invariant === invariant)!;
    expect(violation.at).toMatch(at);
    const found = readHistory(join(folder, 'history.ndjson')).find((e) => e.seq === violation.seq)!;
    expect(found.wall).toBeLessThan(2_000);
  });

  it('blames the slot never given back on the job whose launch failed, not on the latest acquire', async () => {
    const report = await run('buggy/counter-before-failing-launch', 'launch-fail', 1);
    const violation = report.violations.find((v) => v.invariant === 'counter-matches-sessions')!;
    const failedLaunch = violation.recent.find((e) => e.kind === 'job.end' && e.session === violation.session);
    expect(failedLaunch?.data).toMatchObject({ ok: false, error: expect.stringMatching(/launchFail/) });
    expect(violation.at).toMatch(/counter-before-failing-launch\.ts:\d+/);
  });

  it('blames the leaked page on the job whose work failed and left it open, not on the latest release', async () => {
    const report = await run('buggy/page-left-open-on-failure', 'exception-mid-work', 1);
    const violation = report.violations.find((v) => v.invariant === 'counter-matches-browsers')!;
    const workEnd = violation.recent.find((e) => e.kind === 'job.work.end' && e.session === violation.session);
    expect(workEnd?.data).toMatchObject({ ok: false });
  });
});
