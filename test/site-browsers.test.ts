// The target site in real Chromium and real Firefox (over WebDriver BiDi): the review job's
// extraction reads the JS-rendered page, the per-browser header reaches the site, and the site's
// faults look to the browser like the network faults they stand for.
import { type Browser, type BrowserContext, type BrowserType, chromium, firefox } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOptionsFor, type RealBrowserName } from '../harness/drivers/playwright/installed-browsers.ts';
import { SITE_BROWSER_HEADER, type Site, startSite } from '../harness/site/site.ts';
import { reviewPageUrl, reviewsFor } from '../harness/site/site-model.ts';
import { extractReviews, reviewScrape } from '../harness/workload/review-job.ts';
import { needsBrowser } from './needs.ts';

const ENGINES: Array<[RealBrowserName, BrowserType]> = [
  ['chromium', chromium],
  ['firefox', firefox],
];

for (const [name, engine] of ENGINES) {
  describe.runIf(needsBrowser(name))(`target site in ${name}`, () => {
    let site: Site;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    let nextId = 0;

    /** A context whose every request names the browser id it is given, as the real driver's do. */
    async function contextAs(id = `${name}-${++nextId}`) {
      const context = await browser.newContext({ extraHTTPHeaders: { [SITE_BROWSER_HEADER]: id } });
      contexts.push(context);
      return { id, context, page: await context.newPage() };
    }

    beforeAll(async () => {
      site = await startSite();
      browser = await engine.launch(launchOptionsFor(name));
    });

    afterAll(async () => {
      await Promise.allSettled(contexts.map((context) => context.close()));
      await browser?.close();
      await site?.close();
    });

    it('extractReviews returns exactly the model’s reviews of the page', async () => {
      const { page } = await contextAs();
      const url = reviewPageUrl(site.origin, 'acme', 7);
      await page.goto(url);
      expect(await page.evaluate(extractReviews)).toEqual(reviewsFor(url));
      expect(await page.getAttribute('a.next', 'href')).toBe('/store/acme/reviews?page=8');
    });

    it('the review job walks pages in the real browser', async () => {
      const { page } = await contextAs();
      let pages = 0;
      const scrape = reviewScrape({ jobId: 'j1', origin: site.origin, store: 'acme', pages: 3 }, { throwNext: false }, () => pages++);
      expect(await scrape(page, new AbortController().signal)).toBe(30);
      expect(pages).toBe(3);
    });

    it('sends the x-tally-browser header set through newContext, page and script fetch alike', async () => {
      const { id, page } = await contextAs();
      await page.goto(reviewPageUrl(site.origin, 'acme', 1));
      await page.evaluate(extractReviews);
      expect(site.stats().byBrowser[id]).toBe(2);
    });

    it('a fault armed on one browser hits its next page and no other browser', async () => {
      const target = await contextAs();
      const bystander = await contextAs();
      site.arm(target.id, { kind: 'challenge' });
      const url = reviewPageUrl(site.origin, 'acme', 2);
      await bystander.page.goto(url);
      expect(await bystander.page.evaluate(extractReviews)).toHaveLength(10);
      await target.page.goto(url);
      await expect(target.page.evaluate(extractReviews)).rejects.toThrow(`bot challenge at ${url}`);
    });

    it('a stalled request keeps goto pending until the context is closed', async () => {
      const { id, context, page } = await contextAs();
      site.stall(id);
      const navigation = page.goto(reviewPageUrl(site.origin, 'acme', 0)).then(
        () => 'resolved',
        () => 'rejected',
      );
      const early = await Promise.race([navigation, new Promise((resolve) => setTimeout(() => resolve('pending'), 1_000))]);
      expect(early).toBe('pending');
      expect(site.stats().held).toBe(1);
      const closing = Date.now();
      await context.close();
      expect(Date.now() - closing).toBeLessThan(5_000);
      expect(await navigation).toBe('rejected');
      await expect.poll(() => site.stats().held).toBe(0);
    });

    it('fault=reset makes goto reject, armed or in the query', async () => {
      const { id, page } = await contextAs();
      await page.goto(reviewPageUrl(site.origin, 'acme', 0));
      await expect(page.goto(`${reviewPageUrl(site.origin, 'acme', 1)}&fault=reset`)).rejects.toThrow();
      site.arm(id, { kind: 'reset' });
      // The page's keep-alive connection is reused, so the browser resends; the site resets those too.
      await expect(page.goto(reviewPageUrl(site.origin, 'acme', 2))).rejects.toThrow();
    });

    it('a challenge page or an error page makes extractReviews throw, saying which', async () => {
      const { page } = await contextAs();
      const challenge = `${reviewPageUrl(site.origin, 'acme', 3)}&fault=challenge`;
      await page.goto(challenge);
      await expect(page.evaluate(extractReviews)).rejects.toThrow(`bot challenge at ${challenge}`);
      const unavailable = `${reviewPageUrl(site.origin, 'acme', 3)}&fault=serverError`;
      await page.goto(unavailable);
      await expect(page.evaluate(extractReviews)).rejects.toThrow(`error page (HTTP 503) at ${unavailable}`);
      const missing = reviewPageUrl(site.origin, 'acme', 500);
      await page.goto(missing);
      await expect(page.evaluate(extractReviews)).rejects.toThrow(`error page (HTTP 404) at ${missing}`);
    });
  });
}
