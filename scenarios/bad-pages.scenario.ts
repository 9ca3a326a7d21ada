import { defineScenario } from '../harness/scenario/schema.ts';

/**
 * The site has a bad day: a bot-challenge page, a 503 error page, a connection reset, each now and
 * then. The review job fails on each, so it is the exception path of the story met the way a
 * scraper meets it: in the legacy pool the failed job skips release(), and orphan locks (with the
 * browsers they pin) pile up until the sweep.
 */
export default defineScenario({
  name: 'bad-pages',
  description: 'Bot challenges, 503s and connection resets fail jobs: release() is skipped and orphan locks pile up.',
  seed: 1,
  durationMs: 30 * 60_000,
  workload: { concurrency: 10, pagesPerJob: 40, pageMs: 2_400, rampMs: 60_000 },
  pool: { maxBrowsers: 50, watchdogMs: 5 * 60_000, jitterMs: 30_000, sweepEveryMs: 60_000 },
  faults: [
    { kind: 'challenge', every: 90_000, target: 'one' },
    { kind: 'serverError', every: 150_000, from: 30_000, target: 'one' },
    { kind: 'reset', every: 210_000, from: 60_000, target: 'one' },
  ],
  // Real browsers: 10 scenario minutes in 20 s; the site itself answers with the challenge, the 503 and the reset.
  real: {
    timeScale: 1 / 30,
    durationMs: 10 * 60_000,
    workload: { concurrency: 4, pagesPerJob: 12, rampMs: 20_000 },
    // Not a scenario about the watchdog: a minute of real time, so that on a loaded machine (a new
    // page alone 5 to 8 s) its jobs end by the faults, not by the clock.
    pool: { watchdogMs: 30 * 60_000 },
  },
});
