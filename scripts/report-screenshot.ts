// Writes docs/report-html.png, the picture of report.html in the README: the legacy pool's
// watchdog-timeout run on the sim, its page as Debian's Chromium draws it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { executeRun } from '../harness/commands/execute-run.ts';
import { isInstalled, launchOptionsFor, missingBrowserMessage } from '../harness/drivers/playwright/installed-browsers.ts';

const OUTPUT = join(import.meta.dirname, '..', 'docs', 'report-html.png');

if (!isInstalled('chromium')) {
  console.error(`report-screenshot: ${missingBrowserMessage('chromium')}`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'tally-screenshot-'));
try {
  await executeRun({ scenario: 'watchdog-timeout', pool: 'legacy', out: dir });
  const browser = await chromium.launch(launchOptionsFor('chromium'));
  try {
    const page = await browser.newPage({ viewport: { width: 1150, height: 1000 } });
    await page.goto(`file://${join(dir, 'report.html')}`);
    // Each chart is marked drawn by the page's script once uPlot has painted it.
    const charts = await page.locator('.chart').count();
    await page
      .locator('.chart[data-drawn="true"]')
      .nth(charts - 1)
      .waitFor();
    await page.screenshot({ path: OUTPUT });
  } finally {
    await browser.close();
  }
  console.log(OUTPUT);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
