// report.html and the compare page: written for every run, self-contained (nothing fetched), and
// drawn for real in Chromium: every chart paints, no console error, a violation's marker opens its row.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../harness/commands/execute-run.ts';
import { launchOptionsFor } from '../harness/drivers/playwright/installed-browsers.ts';
import { LEAK_SCHEMA } from '../harness/heap/leak-report.ts';
import { rewriteReportHtml } from '../harness/report/html/run-page-files.ts';
import type { RunReport } from '../harness/report/report-json.ts';
import { tally, tempDir } from './helpers.ts';
import { needsBrowser } from './needs.ts';

const out = tempDir();
const legacyDir = join(out, 'legacy');
const fixedDir = join(out, 'fixed');
const comparePage = join(out, 'compare.html');
let legacy: RunReport;

beforeAll(async () => {
  ({ report: legacy } = await executeRun({ scenario: 'watchdog-timeout', pool: 'legacy', out: legacyDir }));
  await executeRun({ scenario: 'watchdog-timeout', pool: 'fixed', out: fixedDir });
}, 120_000);

/** `src=` or `href=` pointing off the file: what would make the page depend on a network. */
const REMOTE_REFERENCE = /<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?\/\//i;

describe('report.html of a sim run', () => {
  it('is written beside report.json, self-contained, with the verdict and a marker per violation', () => {
    const html = readFileSync(join(legacyDir, 'report.html'), 'utf8');
    expect(legacy.verdict.verdict).toBe('fail');
    expect(legacy.files).toContain('report.html');
    expect(html).toContain(`<strong>Verdict: FAIL</strong> (exit 1): ${legacy.verdict.why}.`);
    expect(html).not.toMatch(REMOTE_REFERENCE);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    const charts = JSON.parse(html.match(/<script type="application\/json" id="tally-charts">(.*?)<\/script>/s)![1]!);
    const state = charts.find((c: { id: string }) => c.id === 'chart-state');
    const marked = state.violations.flatMap((marker: { rows: string[] }) => marker.rows);
    expect(marked).toEqual(legacy.violations.map((_, i) => `violation-${i + 1}`));
    expect(state.violations[0].title).toContain(legacy.violations[0]!.message);
    expect(state.violations[0].title).toContain(`invariant: ${legacy.violations[0]!.invariant}`);
    expect(state.violations[0].title).toContain(`session: ${legacy.violations[0]!.session}`);
    expect(state.violations[0].title).toContain(`at: ${legacy.violations[0]!.at}`);
    expect(state.faults.length).toBe(legacy.figures.faultWindows.length);
    for (let i = 1; i <= legacy.violations.length; i++) expect(html).toContain(`<tr id="violation-${i}">`);
  });

  it('shows no leak cluster until the folder has leaks.json, then shows its clusters when the page is written again', async () => {
    const page = join(legacyDir, 'report.html');
    expect(readFileSync(page, 'utf8')).toContain('No leak analysis for this run');
    // leaks.json as `tally leaks` writes it (the analysis itself is tested in leaks.test.ts).
    const path = ['LegacyBrowserService', '#locks → SessionLockRegistry', '#locks → Map'];
    const cluster = {
      path,
      count: 2,
      retainedBytes: 2e6,
      objects: 40,
      largest: [...path, 'session → browser → SimBrowser'],
      largestBytes: 1e6,
    };
    const leaks = {
      schema: LEAK_SCHEMA,
      leakedObjects: 40,
      leakedBytes: 2e6,
      clusters: [cluster],
      poolRoots: ['LegacyBrowserService'],
      ms: 1,
    };
    writeFileSync(join(legacyDir, 'leaks.json'), JSON.stringify(leaks));
    await rewriteReportHtml(legacyDir);
    const html = readFileSync(page, 'utf8');
    expect(html).not.toContain('No leak analysis for this run');
    expect(html).toContain(`<code>${path.join(' → ')}</code>`);
    expect(html).toContain('<code>session → browser → SimBrowser</code> (1.0 MB)');
  });

  it('tally compare --html writes one page with both runs', async () => {
    const result = await tally(['compare', legacyDir, fixedDir, '--html', '--out', comparePage]);
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(comparePage, 'utf8');
    expect(html).not.toMatch(REMOTE_REFERENCE);
    expect(html).toContain('<strong>Verdict: FAIL</strong>');
    expect(html).toContain('<strong>Verdict: PASS</strong>');
    const charts = JSON.parse(html.match(/id="tally-charts">(.*?)<\/script>/s)![1]!);
    const [before, after] = ['before-chart-state', 'after-chart-state'].map((id) => charts.find((c: { id: string }) => c.id === id));
    expect([after.xMax, after.yMax]).toEqual([before.xMax, before.yMax]);
  });

  it('compare --html on a folder that is not a run: one line naming it, exit 2, no page', async () => {
    const result = await tally(['compare', legacyDir, out, '--html', '--out', join(out, 'x.html')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tally: .*report\.json/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, 'x.html'))).toBe(false);
  });
});

/** The part of a DOM canvas the test reads (the project compiles without the DOM's types). */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}

describe.runIf(needsBrowser('chromium'))('report.html in Chromium', () => {
  it('draws every chart offline, without a console error, and a marker opens its violation', { timeout: 60_000 }, async () => {
    const browser = await chromium.launch(launchOptionsFor('chromium'));
    try {
      for (const file of [join(legacyDir, 'report.html'), comparePage]) {
        const context = await browser.newContext();
        const leftTheFile: string[] = [];
        await context.route('**/*', (route) => {
          const url = route.request().url();
          if (url.startsWith('file://')) return route.continue();
          leftTheFile.push(url);
          return route.abort();
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`file://${file}`);
        const charts = await page.locator('.chart').count();
        expect(charts, file).toBeGreaterThanOrEqual(2);
        await expect.poll(() => page.locator('.chart[data-drawn="true"]').count()).toBe(charts);
        // A drawn chart has painted pixels: at least one non-transparent pixel on each chart's canvas.
        const painted = await page.$$eval('.chart canvas', (canvases) =>
          canvases.map((element) => {
            const canvas = element as unknown as Canvas;
            const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
            let opaque = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque++;
            return opaque;
          }),
        );
        expect(painted).toHaveLength(charts);
        for (const pixels of painted) expect(pixels).toBeGreaterThan(0);
        // The last marker drawn is on top of any it overlaps (violations a pixel apart): a reader can click it.
        const marker = page.locator('.violation-marker').last();
        const row = (await marker.getAttribute('data-rows'))!.split(' ')[0];
        expect(await marker.getAttribute('title')).toContain('invariant: ');
        expect(await page.locator(`#${row} details`).evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
        await marker.click();
        expect(await page.locator(`#${row} details`).evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
        expect(errors, file).toEqual([]);
        expect(leftTheFile, file).toEqual([]);
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });
});
