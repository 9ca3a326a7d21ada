/**
 * How long one review page takes in each real browser against the target site: `goto` plus
 * `extractReviews`, in one warm page, as the review job does it. Scenario authors pick page times
 * (and the site's latency) from this.
 *
 *   npm run bench:pages -- [pages=20] [latencyMs=0]
 */
import { type BrowserType, chromium, firefox } from 'playwright';
import { isInstalled, launchOptionsFor, missingBrowserMessage, type RealBrowserName } from '../drivers/playwright/installed-browsers.ts';
import { SITE_BROWSER_HEADER, type Site, startSite } from '../site/site.ts';
import { reviewPageUrl } from '../site/site-model.ts';
import { extractReviews } from '../workload/review-job.ts';

const WARMUP_PAGES = 2;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function pageTimes(name: RealBrowserName, engine: BrowserType, site: Site, pages: number): Promise<number[]> {
  const browser = await engine.launch(launchOptionsFor(name));
  try {
    const context = await browser.newContext({ extraHTTPHeaders: { [SITE_BROWSER_HEADER]: `bench-${name}` } });
    const page = await context.newPage();
    const times: number[] = [];
    for (let n = 0; n < WARMUP_PAGES + pages; n++) {
      const start = performance.now();
      await page.goto(reviewPageUrl(site.origin, 'bench', n));
      const reviews = await page.evaluate(extractReviews);
      if (reviews.length === 0) throw new Error(`${name}: no reviews extracted from page ${n}`);
      if (n >= WARMUP_PAGES) times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b);
  } finally {
    await browser.close();
  }
}

const pages = Number(process.argv[2] ?? 20);
const latencyMs = Number(process.argv[3] ?? 0);
const site = await startSite({ latencyMs });
try {
  console.log(`page = goto + extractReviews, ${pages} pages after ${WARMUP_PAGES} warm-up, site latency ${latencyMs} ms`);
  for (const [name, engine] of [
    ['chromium', chromium],
    ['firefox', firefox],
  ] as const) {
    if (!isInstalled(name)) {
      console.log(`${name}: skipped, ${missingBrowserMessage(name)}`);
      continue;
    }
    const times = await pageTimes(name, engine, site, pages);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(
      `${name}: median ${ms(percentile(times, 0.5))}, p90 ${ms(percentile(times, 0.9))}, min ${ms(times[0]!)}, max ${ms(times.at(-1)!)}`,
    );
  }
} finally {
  await site.close();
}
