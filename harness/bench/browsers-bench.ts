/**
 * What the harness costs real browsers: jobs per minute of the review-scrape job on Chromium with
 * the fixed pool at concurrency 2, 4 and 8, next to the same jobs done by a plain Playwright loop
 * (launch, context, page, scrape, close) with no harness; plus launch and context-open times and
 * PSS per context. Throughput is counted from the first job's start to the last job's end, for
 * both; what the harness spends before its first job (the target site, the run's record) and
 * after its last (closing the pool, waiting for the OS to confirm every process is gone, the
 * final checks) is reported apart, in ms, since it is paid once per run, not per job. Runs
 * come in pairs, which of the two goes first alternating, so drift in the machine's load falls on
 * both; the overhead is the median of the pairs' ratios. Beside throughput, the CPU each job costs
 * the whole machine (from /proc/stat) is compared: work done, which depends far less on how two
 * cores were shared among eight browsers than their speed does. Last line: one JSON object, also
 * when an inner run fails (then with `failed`: where, why, and the kept history; exit 1).
 *
 *   npm run bench:browsers            (TALLY_BENCH_REPEAT=3, TALLY_BENCH_JOBS_PER_SLOT=3)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { isInstalled, launchOptionsFor, missingBrowserMessage } from '../drivers/playwright/installed-browsers.ts';
import type { AnyEvent } from '../history/events.ts';
import { markerEnv, newRunId } from '../os/browser-marker.ts';
import { killRun, scanRun } from '../os/run-processes.ts';
import { loadPool } from '../pool/load-pool.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { parseScenario } from '../scenario/load-scenario.ts';
import { SITE_BROWSER_HEADER, type Site, startSite } from '../site/site.ts';
import { reviewPageUrl } from '../site/site-model.ts';
import { extractReviews, reviewScrape } from '../workload/review-job.ts';
import { BenchRunFailed, benchFailureLine } from './bench-failure.ts';
import { median, round, spread } from './stats.ts';

const REPEAT = Number(process.env.TALLY_BENCH_REPEAT ?? 3);
const JOBS_PER_SLOT = Number(process.env.TALLY_BENCH_JOBS_PER_SLOT ?? 3);
const PAGES_PER_JOB = 10;
const CONCURRENCIES = [2, 4, 8];
const CONTEXTS_FOR_PSS = 5;

/**
 * Busy CPU time of the whole machine so far (ms), from /proc/stat: every core; idle, iowait and
 * steal (time the hypervisor gave to other machines) left out.
 */
function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = fields;
  return ((user + nice + system + irq + softirq) * 1000) / CLOCK_TICKS_PER_SECOND;
}
/** USER_HZ: /proc/stat counts in it, and Linux fixes it at 100 for user space. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU spent while `run` ran: by this process (user + system: Playwright's client, the site and,
 * with the harness, its own work; the browsers' is not in it), and by the whole machine (the
 * browsers too). Both are work done, so unlike throughput they hardly depend on how the two cores
 * happened to be shared.
 */
async function withCpu<T>(run: () => Promise<T>): Promise<T & { cpuMs: number; machineCpuMs: number }> {
  const before = process.cpuUsage();
  const machineBefore = machineBusyMs();
  const result = await run();
  const used = process.cpuUsage(before);
  return { ...result, cpuMs: (used.user + used.system) / 1000, machineCpuMs: machineBusyMs() - machineBefore };
}

interface PlainTimes {
  /** From the first job's start to the last job's end. */
  jobsPerMinute: number;
  launchMs: number[];
  contextMs: number[];
}

/** The same jobs with Playwright alone: `concurrency` workers, each job in a fresh browser. */
async function plainLoop(site: Site, concurrency: number): Promise<PlainTimes> {
  const launchMs: number[] = [];
  const contextMs: number[] = [];
  const runId = newRunId();
  let next = 0;
  const total = concurrency * JOBS_PER_SLOT;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const id = `plain${next++}`;
      const t0 = performance.now();
      const browser = await chromium.launch(launchOptionsFor('chromium', markerEnv(runId, id)));
      const t1 = performance.now();
      try {
        const context = await browser.newContext({ extraHTTPHeaders: { [SITE_BROWSER_HEADER]: id } });
        const page = await context.newPage();
        contextMs.push(performance.now() - t1);
        launchMs.push(t1 - t0);
        await reviewScrape({ jobId: id, origin: site.origin, store: `store-${id}`, pages: PAGES_PER_JOB }, { throwNext: false }, () => {})(
          page,
          new AbortController().signal,
        );
      } finally {
        await browser.close();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    killRun(runId);
  }
  const jobsMs = performance.now() - started;
  return { jobsPerMinute: total / (jobsMs / 60_000), launchMs, contextMs };
}

interface HarnessTimes {
  /** From the first job's start to the last job's end, as the history's wall clock has them. */
  jobsPerMinute: number;
  beforeFirstJobMs: number;
  afterLastJobMs: number;
}

/** The same jobs through Tally: the fixed pool, the recorded driver, the checkers, the OS samples. */
async function throughHarness(concurrency: number): Promise<HarnessTimes> {
  const scenario = parseScenario(
    {
      name: 'bench-browsers',
      description: 'review scrapes without faults',
      durationMs: 24 * 60 * 60_000,
      // pageMs 1: the site adds no latency, as for the plain loop.
      workload: { jobs: concurrency * JOBS_PER_SLOT, concurrency, pagesPerJob: PAGES_PER_JOB, pageMs: 1, rampMs: 0 },
      pool: { maxBrowsers: concurrency, watchdogMs: 10 * 60_000, jitterMs: 0 },
    },
    'bench',
  );
  const outDir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  let keep = false;
  try {
    let firstStart: number | undefined;
    let lastEnd = 0;
    const jobWindow = {
      event(e: AnyEvent) {
        if (e.kind === 'job.start') firstStart ??= e.wall;
        else if (e.kind === 'job.end') lastEnd = e.wall;
      },
    };
    const started = performance.now();
    const result = await runScenario({
      scenario,
      pool: await loadPool('fixed'),
      seed: 1,
      driver: 'chromium',
      outDir,
      observers: [jobWindow],
    });
    const wallMs = performance.now() - started;
    if (result.endReason !== 'done' || result.violations.length > 0) {
      // The history is the evidence of the failure: kept, and named in the bench's last line.
      keep = true;
      const violations = result.violations.map((v) => `${v.invariant}: ${v.message}`);
      throw new BenchRunFailed(result.endReason, violations, join(outDir, 'history.ndjson'));
    }
    // `wall` counts from the run's recorder, made as runScenario starts.
    const first = firstStart ?? 0;
    return {
      jobsPerMinute: scenario.workload.jobs! / ((lastEnd - first) / 60_000),
      beforeFirstJobMs: first,
      afterLastJobMs: wallMs - lastEnd,
    };
  } finally {
    if (!keep) rmSync(outDir, { recursive: true, force: true });
  }
}

/** PSS a context with one review page adds to a running browser. */
async function pssPerContext(site: Site): Promise<number> {
  const runId = newRunId();
  const browser = await chromium.launch(launchOptionsFor('chromium', markerEnv(runId, 'pss')));
  try {
    const pss = () => scanRun(runId).reduce((sum, tree) => sum + tree.pssMB, 0);
    const before = pss();
    for (let i = 0; i < CONTEXTS_FOR_PSS; i++) {
      const page = await (await browser.newContext()).newPage();
      await page.goto(reviewPageUrl(site.origin, 'pss', i));
      await page.evaluate(extractReviews);
    }
    return (pss() - before) / CONTEXTS_FOR_PSS;
  } finally {
    await browser.close();
    killRun(runId);
  }
}

if (!isInstalled('chromium')) {
  process.stderr.write(`bench:browsers: ${missingBrowserMessage('chromium')}\n`);
  process.exit(2);
}
const site = await startSite();
/** Where the bench is, for the failure line. */
let at: Record<string, unknown> = { step: 'start' };
const byConcurrency: Record<string, { plainJobsPerMinute: number; harnessJobsPerMinute: number; overheadPercent: number }> = {};
try {
  const launches: number[] = [];
  const contexts: number[] = [];
  const overheads: number[] = [];
  const before: number[] = [];
  const after: number[] = [];
  const plainCpuPerJob: number[] = [];
  const harnessCpuPerJob: number[] = [];
  const cpuOverheads: number[] = [];
  const plainMachineCpuPerJob: number[] = [];
  for (const concurrency of CONCURRENCIES) {
    const plain: number[] = [];
    const harness: number[] = [];
    const paired: number[] = [];
    for (let r = 0; r < REPEAT; r++) {
      at = { concurrency, repetition: r + 1 };
      // Which goes first alternates: whatever the first run leaves the machine (caches, a browser
      // still exiting) falls on both alike.
      const plainFirst = r % 2 === 0;
      const first = plainFirst ? await withCpu(() => plainLoop(site, concurrency)) : undefined;
      const tally = await withCpu(() => throughHarness(concurrency));
      const times = first ?? (await withCpu(() => plainLoop(site, concurrency)));
      plain.push(times.jobsPerMinute);
      launches.push(...times.launchMs);
      contexts.push(...times.contextMs);
      const jobs = concurrency * JOBS_PER_SLOT;
      plainCpuPerJob.push(times.cpuMs / jobs);
      harnessCpuPerJob.push(tally.cpuMs / jobs);
      cpuOverheads.push((100 * (tally.machineCpuMs - times.machineCpuMs)) / times.machineCpuMs);
      plainMachineCpuPerJob.push(times.machineCpuMs / jobs);
      harness.push(tally.jobsPerMinute);
      before.push(tally.beforeFirstJobMs);
      after.push(tally.afterLastJobMs);
      paired.push((100 * (times.jobsPerMinute - tally.jobsPerMinute)) / times.jobsPerMinute);
      process.stderr.write(
        `concurrency ${concurrency} #${r + 1} (${plainFirst ? 'plain' : 'harness'} first): plain ${round(times.jobsPerMinute)} jobs/min, harness ${round(tally.jobsPerMinute)} jobs/min (${round(paired.at(-1)!)} %); machine CPU ${Math.round(times.machineCpuMs / jobs)} vs ${Math.round(tally.machineCpuMs / jobs)} ms per job (${round(cpuOverheads.at(-1)!)} %); ${Math.round(tally.beforeFirstJobMs)} ms before the first job, ${Math.round(tally.afterLastJobMs)} ms after the last\n`,
      );
    }
    overheads.push(...paired);
    byConcurrency[concurrency] = {
      plainJobsPerMinute: round(median(plain)),
      harnessJobsPerMinute: round(median(harness)),
      overheadPercent: round(median(paired)),
    };
  }
  at = { step: 'pss per context' };
  const pss = await pssPerContext(site);
  const throughput = spread(overheads, 1);
  const machineCpu = spread(cpuOverheads, 1);
  console.log(
    JSON.stringify({
      bench: 'browsers',
      browser: 'chromium',
      pool: 'fixed',
      pagesPerJob: PAGES_PER_JOB,
      jobsPerSlot: JOBS_PER_SLOT,
      repetitions: REPEAT,
      byConcurrency,
      overheadPercent: throughput.median,
      overheadPercentRange: throughput.range,
      harnessBeforeFirstJobMs: Math.round(median(before)),
      harnessAfterLastJobMs: Math.round(median(after)),
      // This process's CPU per job (Playwright's client and the site; with the harness, its own work
      // too): what the harness adds, free of the browsers' noise.
      nodeCpuMsPerJob: { plain: Math.round(median(plainCpuPerJob)), harness: Math.round(median(harnessCpuPerJob)) },
      machineCpuMsPerJob: Math.round(median(plainMachineCpuPerJob)),
      // The harness's own work (this process's extra CPU per job) against all the CPU a job costs the machine.
      harnessOwnCpuPercent: round((100 * (median(harnessCpuPerJob) - median(plainCpuPerJob))) / median(plainMachineCpuPerJob), 2),
      // The whole machine's busy CPU per job, harness against plain: the work the harness adds.
      machineCpuOverheadPercent: machineCpu.median,
      machineCpuOverheadPercentRange: machineCpu.range,
      launchMsMedian: round(median(launches)),
      contextOpenMsMedian: round(median(contexts)),
      pssMBPerContext: round(pss),
    }),
  );
} catch (error) {
  // The last line is JSON whatever happened, so what reads it learns of the failure from it.
  console.log(benchFailureLine('browsers', at, error, { byConcurrency }));
  process.exitCode = 1;
} finally {
  await site.close();
}
