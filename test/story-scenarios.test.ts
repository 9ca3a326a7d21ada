// Every shipped scenario, end to end on the sim driver: the legacy pool fails with the story's
// violations, the fixed pool passes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import { tempDir } from './helpers.ts';

const out = tempDir();
const run = (scenario: string, pool: string, overrides: string[] = []) =>
  executeRun({ scenario, pool, overrides, out: join(out, scenario, pool, overrides.join('_')) }).then((r) => r.report);

describe('the story scenarios', () => {
  it('watchdog-timeout: the watchdog and the finally both decrement; the work is not cancelled', async () => {
    const legacy = await run('watchdog-timeout', 'legacy');
    expect(legacy.verdict.code).toBe(1);
    expect(legacy.invariants['single-release']).toBeGreaterThan(0);
    expect(legacy.invariants['counter-matches-sessions']).toBeGreaterThan(0);
    expect(legacy.invariants['work-cancelled']).toBeGreaterThan(0);
    const doubled = legacy.violations.find((v) => v.invariant === 'single-release')!;
    expect(doubled.message).toMatch(/released twice: paths watchdog, finally/);
    expect(doubled.at).toMatch(/harness\/pool\/legacy\/legacy-pool\.ts:\d+:\d+/);
    expect(legacy.figures.decrementsByPath.watchdog).toBeGreaterThan(0);

    const fixed = await run('watchdog-timeout', 'fixed');
    expect(fixed.verdict.code).toBe(0);
    expect(fixed.violationsTotal).toBe(0);
    expect(fixed.figures.decrementsByPath.watchdog).toBeGreaterThan(0); // timeouts happened, and were handled once
  });

  it('launch-fail: legacy gives back the slot of a browser whose new page failed but never closes the browser; fixed rolls back', async () => {
    const [legacy, fixed] = await Promise.all([run('launch-fail', 'legacy'), run('launch-fail', 'fixed')]);
    for (const report of [legacy, fixed]) {
      expect(report.figures.faultEntries.map((entry) => entry.struck)).toEqual([
        expect.any(Number),
        expect.any(Number),
        expect.any(Number),
      ]);
      expect(report.figures.firstJobError).toMatch(/launchFail/);
    }
    expect(legacy.verdict.code).toBe(1);
    const leaked = legacy.violations.find((v) => v.invariant === 'counter-matches-browsers')!;
    expect(leaked.message).toMatch(/^counter\(\d+\) < browsers\(\d+\)$/);
    expect(leaked.at).toMatch(/harness\/pool\/legacy\/legacy-pool\.ts:\d+/);
    expect(legacy.figures.decrementsByPath['launch-failed']).toBeGreaterThan(0);
    expect(fixed.verdict.code).toBe(0);
  });

  it("bad-pages: the site's challenges, 503s and resets fail jobs; legacy skips release() and orphans locks", async () => {
    const legacy = await run('bad-pages', 'legacy');
    expect(legacy.verdict.code).toBe(1);
    expect(legacy.invariants['lock-ownership']).toBeGreaterThan(0);
    expect(legacy.figures.jobs.failed).toBeGreaterThan(0);
    const fixed = await run('bad-pages', 'fixed');
    expect(fixed.verdict.code).toBe(0);
    expect(fixed.figures.jobs.failed).toBeGreaterThan(0);
  });

  it('browser-crash: the disconnect handler is a third decrement path', async () => {
    const legacy = await run('browser-crash', 'legacy');
    expect(legacy.verdict.code).toBe(1);
    expect(legacy.figures.decrementsByPath.disconnected).toBeGreaterThan(0);
    expect(legacy.invariants['single-release']).toBeGreaterThan(0);
    const fixed = await run('browser-crash', 'fixed');
    expect(fixed.verdict.code).toBe(0);
    expect(fixed.figures.faultCount).toBeGreaterThan(0);
  });

  it('network-stall: the stalled work outlives its job and its browser outlives the run', async () => {
    const legacy = await run('network-stall', 'legacy');
    expect(legacy.verdict.code).toBe(1);
    expect(legacy.invariants['work-cancelled']).toBeGreaterThan(0);
    expect(legacy.invariants.quiescence).toBe(1);
    expect(legacy.invariants['counter-matches-browsers']).toBeGreaterThan(0);
    const fixed = await run('network-stall', 'fixed');
    expect(fixed.verdict.code).toBe(0);
  });

  it('exception-mid-work: skipped releases leave orphan locks that the sweep finds', async () => {
    const legacy = await run('exception-mid-work', 'legacy');
    expect(legacy.verdict.code).toBe(1);
    expect(legacy.invariants['lock-ownership']).toBeGreaterThan(0);
    expect(legacy.figures.orphanLocksSwept).toBeGreaterThan(0);
    expect(legacy.figures.lockSweepsPer30Min).toBeGreaterThan(0);
    const fixed = await run('exception-mid-work', 'fixed');
    expect(fixed.verdict.code).toBe(0);
    expect(fixed.figures.lockSweeps).toBe(0);
  });

  it('page-crash: a dead renderer fails the work while its browser stays up; legacy orphans the lock', async () => {
    const legacy = await run('page-crash', 'legacy');
    expect(legacy.verdict.code).toBe(1);
    expect(legacy.invariants['lock-ownership']).toBeGreaterThan(0);
    expect(legacy.invariants['counter-matches-sessions']).toBeGreaterThan(0);
    const fixed = await run('page-crash', 'fixed');
    expect(fixed.verdict.code).toBe(0);
    expect(fixed.figures.faultCount).toBeGreaterThan(0);
  });

  it('watchdog-storm: 50 watchdogs fire together without jitter; jitter spreads the closes', async () => {
    const legacy = await run('watchdog-storm', 'legacy');
    expect(legacy.verdict.code).toBe(1);
    expect(legacy.figures.peakWatchdogsPerSecond).toBe(50);
    const jittered = await run('watchdog-storm', 'fixed');
    expect(jittered.verdict.code).toBe(0);
    expect(jittered.figures.peakClosesPerSecond).toBeLessThanOrEqual(10);
    const herd = await run('watchdog-storm', 'fixed', ['pool.jitterMs=0']);
    expect(herd.figures.peakClosesPerSecond).toBe(50);
    expect(herd.verdict.code).toBe(1);
    expect(herd.invariants.budget).toBe(1);
    expect(herd.violationsTotal).toBe(1);
  });

  it('soak: 24 hours of mixed faults; the legacy pool grows past its memory budget', async () => {
    const legacy = await run('soak', 'legacy');
    expect(legacy.figures.virtualMs).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(legacy.verdict.code).toBe(1);
    expect(legacy.figures.memoryGrowthMBPerHour!).toBeGreaterThan(50);
    const fixed = await run('soak', 'fixed');
    expect(fixed.verdict.code).toBe(0);
    expect(Math.abs(fixed.figures.memoryGrowthMBPerHour!)).toBeLessThan(50);
    expect(fixed.figures.faultCount).toBeGreaterThan(20);
  });
  it('pool-shutdown: close() mid-run; legacy closes browsers under running work, which double-releases and orphans locks; fixed stops its jobs first', async () => {
    const legacy = await run('pool-shutdown', 'legacy');
    expect(legacy.verdict.code).toBe(1);
    expect(legacy.invariants['single-release']).toBeGreaterThan(0);
    expect(legacy.invariants['lock-ownership']).toBeGreaterThan(0);
    expect(legacy.invariants.quiescence).toBe(1);
    const fixed = await run('pool-shutdown', 'fixed');
    expect(fixed.verdict.code).toBe(0);
    expect(fixed.figures.faultEntries[0]).toMatchObject({ fault: 'shutdown', struck: 1, missed: 0 });
    // The jobs at work when the pool closed were stopped by it, and are not counted as failures.
    expect(fixed.figures.decrementsByPath['pool-close']).toBeGreaterThan(0);
    expect(fixed.figures.jobs.interrupted).toBe(fixed.figures.decrementsByPath['pool-close']);
    expect(fixed.figures.jobs.failed).toBe(0);
  });

  // Neither story pool queues: both turn a job beyond maxBrowsers away at once, which is correct,
  // and no fault strikes here, so the legacy pool's bugs have no path to run on.
  it('full-pool: arrivals above maxBrowsers are turned away by both story pools; both stay true', async () => {
    for (const pool of ['legacy', 'fixed']) {
      const report = await run('full-pool', pool);
      expect(report.verdict.code, pool).toBe(0);
      expect(report.figures.arrivalsAboveLimit).toBeGreaterThanOrEqual(20);
      expect(report.figures.firstJobError).toMatch(/browser limit reached \(4\)/);
      expect(report.figures.peakBrowsers).toBeLessThanOrEqual(4);
    }
  });

  // The legacy pool ignores job.signal (it predates it): an abandoned job runs to its end, which
  // wastes a browser but breaks no invariant. The fixed pool stops it and gives its slot back.
  it('abandoned-jobs: callers give up while jobs wait and while they work; fixed stops them, legacy lets them finish', async () => {
    const fixed = await run('abandoned-jobs', 'fixed');
    expect(fixed.verdict.code).toBe(0);
    expect(fixed.figures.abandons.waiting).toBeGreaterThanOrEqual(3);
    expect(fixed.figures.abandons.working).toBeGreaterThanOrEqual(3);
    expect(fixed.figures.decrementsByPath.abandoned).toBe(fixed.figures.abandons.waiting + fixed.figures.abandons.working);
    expect(fixed.figures.jobs.abandoned).toBe(fixed.figures.decrementsByPath.abandoned);
    const legacy = await run('abandoned-jobs', 'legacy');
    expect(legacy.verdict.code).toBe(0);
    expect(legacy.figures.jobs.abandoned).toBe(0);
  });
});
