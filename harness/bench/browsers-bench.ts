/**
 * What the harness costs real browsers: jobs per minute of the review-scrape job on Chromium with
 * the fixed pool at concurrency 2, 4 and 8, next to the same jobs done by a plain Playwright loop
 * (launch, context, page, scrape, close) with no harness; plus launch and context-open times and
 * PSS per context. Runs alternate (plain, harness, plain, ...) so drift in the machine's load
 * falls on both; medians are reported. Last line: one JSON object.
 *
 *   npm run bench:browsers            (TALLY_BENCH_REPEAT=3, TALLY_BENCH_JOBS_PER_SLOT=3)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { isInstalled, launchOptionsFor, missingBrowserMessage } from '../drivers/playwright/installed-browsers.ts';
import { reviewPageUrl } from '../drivers/sim/site-model.ts';
import { markerEnv, newRunId } from '../os/browser-marker.ts';
import { killRun, scanRun } from '../os/run-processes.ts';
import { loadPool } from '../pool/load-pool.ts';
import { extractReviews, reviewScrape } from '../runner/review-job.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { parseScenario } from '../scenario/load-scenario.ts';
import { SITE_BROWSER_HEADER, startSite, type Site } from '../site/site.ts';

const REPEAT = Number(process.env.TALLY_BENCH_REPEAT ?? 3);
const JOBS_PER_SLOT = Number(process.env.TALLY_BENCH_JOBS_PER_SLOT ?? 3);
const PAGES_PER_JOB = 10;
const CONCURRENCIES = [2, 4, 8];
const CONTEXTS_FOR_PSS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

interface PlainTimes {
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
        await reviewScrape({ jobId: id, origin: site.origin, store: `store-${id}`, pages: PAGES_PER_JOB }, { throwNext: false }, () => {})(page, new AbortController().signal);
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
  return { jobsPerMinute: total / ((performance.now() - started) / 60_000), launchMs, contextMs };
}

/** The same jobs through Tally: the fixed pool, the recorded driver, the checkers, the OS samples. */
async function throughHarness(concurrency: number): Promise<number> {
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
  try {
    const started = performance.now();
    const result = await runScenario({ scenario, pool: await loadPool('fixed'), seed: 1, driver: 'chromium', outDir });
    const wallMs = performance.now() - started;
    if (result.endReason !== 'done' || result.violations.length > 0) throw new Error(`harness run did not pass: ${result.endReason}, ${result.violations.length} violations`);
    return scenario.workload.jobs! / (wallMs / 60_000);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
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
try {
  const byConcurrency: Record<string, { plainJobsPerMinute: number; harnessJobsPerMinute: number; overheadPercent: number }> = {};
  const launches: number[] = [];
  const contexts: number[] = [];
  for (const concurrency of CONCURRENCIES) {
    const plain: number[] = [];
    const harness: number[] = [];
    for (let r = 0; r < REPEAT; r++) {
      const times = await plainLoop(site, concurrency);
      plain.push(times.jobsPerMinute);
      launches.push(...times.launchMs);
      contexts.push(...times.contextMs);
      harness.push(await throughHarness(concurrency));
      process.stderr.write(`concurrency ${concurrency} #${r + 1}: plain ${round(plain.at(-1)!)} jobs/min, harness ${round(harness.at(-1)!)} jobs/min\n`);
    }
    const plainJobsPerMinute = median(plain);
    const harnessJobsPerMinute = median(harness);
    byConcurrency[concurrency] = {
      plainJobsPerMinute: round(plainJobsPerMinute),
      harnessJobsPerMinute: round(harnessJobsPerMinute),
      overheadPercent: round((100 * (plainJobsPerMinute - harnessJobsPerMinute)) / plainJobsPerMinute),
    };
  }
  const pss = await pssPerContext(site);
  console.log(
    JSON.stringify({
      bench: 'browsers',
      browser: 'chromium',
      pool: 'fixed',
      pagesPerJob: PAGES_PER_JOB,
      jobsPerSlot: JOBS_PER_SLOT,
      repetitions: REPEAT,
      byConcurrency,
      launchMsMedian: round(median(launches)),
      contextOpenMsMedian: round(median(contexts)),
      pssMBPerContext: round(pss),
    }),
  );
} finally {
  await site.close();
}
