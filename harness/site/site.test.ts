import { afterEach, describe, expect, it } from 'vitest';
import { DRIP_CHUNKS } from './faults.ts';
import type { ReviewApiBody } from './pages.ts';
import { RESET_RETRY_WINDOW_MS, SITE_BROWSER_HEADER, type Site, type SiteOptions, startSite } from './site.ts';
import { reviewApiUrl, reviewPageUrl, reviewsFor } from './site-model.ts';

let site: Site | undefined;

afterEach(async () => {
  await site?.close();
  site = undefined;
});

async function open(options?: SiteOptions): Promise<Site> {
  site = await startSite(options);
  return site;
}

function asBrowser(browser: string): RequestInit {
  return { headers: { [SITE_BROWSER_HEADER]: browser } };
}

/** Whether `promise` is still pending after `ms`. */
async function pendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = promise.then(
    () => false,
    () => false,
  );
  return Promise.race([settled, new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms))]);
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

describe('target site: pages and API', () => {
  it('serves a review page whose reviews are left to its script', async () => {
    const { origin } = await open();
    const res = await fetch(reviewPageUrl(origin, 'acme', 3));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('class="reviews-page"');
    expect(html).toContain('window.reviewsReady');
    expect(html).toContain('"/api/store/acme/reviews?page=3"');
    expect(html).not.toContain('class="review"');
  });

  it('answers the API with the model’s reviews and the next page', async () => {
    const { origin } = await open();
    const res = await fetch(reviewApiUrl(origin, 'acme', 3));
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as ReviewApiBody;
    expect(body.reviews).toEqual(reviewsFor(reviewPageUrl(origin, 'acme', 3)));
    expect(body).toMatchObject({ store: 'acme', page: 3, pages: 500, next: '/store/acme/reviews?page=4' });
  });

  it('has pagesPerStore pages: the last has no next page, the one after is 404', async () => {
    const { origin } = await open({ pagesPerStore: 3 });
    expect(((await (await fetch(reviewApiUrl(origin, 'acme', 2))).json()) as ReviewApiBody).next).toBeNull();
    expect((await fetch(reviewPageUrl(origin, 'acme', 3))).status).toBe(404);
    expect((await fetch(reviewApiUrl(origin, 'acme', 3))).status).toBe(404);
    const unknown = await fetch(`${origin}/nowhere`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('class="site-error" data-status="404"');
    expect(site!.stats().byOutcome).toMatchObject({ ok: 1, notFound: 3 });
  });

  it('waits latencyMs before every answer, plus latency=N from the query', async () => {
    const { origin } = await open({ latencyMs: 120 });
    const plain = await timed(() => fetch(reviewPageUrl(origin, 'acme', 0)).then((r) => r.text()));
    expect(plain.ms).toBeGreaterThanOrEqual(115);
    const slower = await timed(() => fetch(`${reviewApiUrl(origin, 'acme', 0)}&latency=200`).then((r) => r.text()));
    expect(slower.ms).toBeGreaterThanOrEqual(315);
  });
});

describe('target site: fault knobs in the query string', () => {
  it('fault=serverError: 503 with an error page', async () => {
    const { origin } = await open();
    const res = await fetch(`${reviewPageUrl(origin, 'acme', 0)}&fault=serverError`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('data-status="503"');
  });

  it('fault=challenge: 200, a .challenge element and no reviews (API too)', async () => {
    const { origin } = await open();
    for (const url of [reviewPageUrl(origin, 'acme', 0), reviewApiUrl(origin, 'acme', 0)]) {
      const res = await fetch(`${url}&fault=challenge`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('class="challenge"');
      expect(html).not.toContain('review');
    }
    expect(site!.stats().byOutcome.challenge).toBe(2);
  });

  it('fault=reset: the connection is reset', async () => {
    const { origin } = await open();
    const error = await fetch(`${reviewPageUrl(origin, 'acme', 0)}&fault=reset`).then(
      () => undefined,
      (e: Error) => e,
    );
    expect((error?.cause as { code?: string } | undefined)?.code).toBe('ECONNRESET');
    expect(site!.stats().byOutcome.reset).toBe(1);
  });

  it('fault=drip: the same body, in chunks, dripMs apart', async () => {
    const { origin } = await open();
    const url = reviewPageUrl(origin, 'acme', 1);
    const whole = await (await fetch(url)).text();
    const { value: chunks, ms } = await timed(async () => {
      const res = await fetch(`${url}&fault=drip&dripMs=40`);
      const parts: string[] = [];
      const decoder = new TextDecoder();
      for await (const chunk of res.body!) parts.push(decoder.decode(chunk, { stream: true }));
      return parts;
    });
    expect(chunks.join('')).toBe(whole);
    expect(chunks.length).toBeGreaterThanOrEqual(DRIP_CHUNKS - 1);
    expect(ms).toBeGreaterThanOrEqual((DRIP_CHUNKS - 1) * 40 - 5);
  });

  it('fault=stall: no answer until the client goes away', async () => {
    const { origin } = await open();
    const abort = new AbortController();
    const request = fetch(`${reviewApiUrl(origin, 'acme', 0)}&fault=stall`, { signal: abort.signal });
    expect(await pendingAfter(request, 300)).toBe(true);
    expect(site!.stats()).toMatchObject({ held: 1, inFlight: 0 });
    abort.abort();
    await expect(request).rejects.toThrow();
    await expect.poll(() => site!.stats().held).toBe(0);
    expect(site!.stats().byOutcome).toMatchObject({ stalled: 1, aborted: 0 });
  });

  it('rejects an unknown fault or a bad number with 400 naming it', async () => {
    const { origin } = await open();
    const unknown = await fetch(`${reviewPageUrl(origin, 'acme', 0)}&fault=meltdown`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('unknown fault &#39;meltdown&#39;');
    const badDrip = await fetch(`${reviewPageUrl(origin, 'acme', 0)}&fault=drip&dripMs=-3`);
    expect(badDrip.status).toBe(400);
    expect(await badDrip.text()).toContain('dripMs=-3');
  });
});

describe('target site: faults armed per browser', () => {
  it('arm: only that browser’s next page request gets the fault, in turn', async () => {
    const { origin } = await open();
    site!.arm('b1', { kind: 'challenge' });
    site!.arm('b1', { kind: 'serverError' });
    const page = reviewPageUrl(origin, 'acme', 0);
    expect(await (await fetch(page, asBrowser('b2'))).text()).toContain('reviews-page');
    expect((await fetch(reviewApiUrl(origin, 'acme', 0), asBrowser('b1'))).headers.get('content-type')).toBe('application/json');
    expect(await (await fetch(page, asBrowser('b1'))).text()).toContain('class="challenge"');
    expect((await fetch(page, asBrowser('b1'))).status).toBe(503);
    expect((await fetch(page, asBrowser('b1'))).status).toBe(200);
    expect(site!.stats().byBrowser).toEqual({ b1: 4, b2: 1 });
  });

  it('arm reset: the page request and its quick resends are reset, later requests are not', async () => {
    // The window is read on a clock the test moves, so a slow machine cannot push a resend out of it.
    let now = 1_000_000;
    const { origin } = await open({ now: () => now });
    site!.arm('b1', { kind: 'reset' });
    const page = reviewPageUrl(origin, 'acme', 0);
    await expect(fetch(page, asBrowser('b1'))).rejects.toThrow();
    now += RESET_RETRY_WINDOW_MS;
    await expect(fetch(page, asBrowser('b1'))).rejects.toThrow();
    now += RESET_RETRY_WINDOW_MS + 1;
    expect((await fetch(page, asBrowser('b1'))).status).toBe(200);
    expect(site!.stats().byOutcome.reset).toBe(2);
  });

  it('stall: holds the browser’s request in flight, not the others', async () => {
    const { origin } = await open({ latencyMs: 200 });
    const abort = new AbortController();
    const held = fetch(reviewPageUrl(origin, 'acme', 0), { ...asBrowser('b1'), signal: abort.signal });
    await expect.poll(() => site!.stats().inFlight).toBe(1);
    site!.stall('b1');
    const other = await fetch(reviewPageUrl(origin, 'acme', 0), asBrowser('b2'));
    expect(other.status).toBe(200);
    expect(await pendingAfter(held, 400)).toBe(true);
    expect(site!.stats()).toMatchObject({ held: 1, byOutcome: { stalled: 1, ok: 1 } });
    abort.abort();
    await expect(held).rejects.toThrow();
  });

  it('stall with nothing in flight: holds the browser’s next page request', async () => {
    const { origin } = await open();
    site!.stall('b1');
    const abort = new AbortController();
    const next = fetch(reviewPageUrl(origin, 'acme', 0), { ...asBrowser('b1'), signal: abort.signal });
    expect(await pendingAfter(next, 300)).toBe(true);
    expect((await fetch(reviewPageUrl(origin, 'acme', 0), asBrowser('b1'))).status).toBe(200);
    abort.abort();
    await expect(next).rejects.toThrow();
  });

  it('close() ends held requests and sockets at once', async () => {
    const { origin } = await open({ latencyMs: 10_000 });
    site!.stall('b1');
    const held = fetch(reviewPageUrl(origin, 'acme', 0), asBrowser('b1'));
    const waiting = fetch(reviewPageUrl(origin, 'acme', 1));
    // Both fail at the same moment: settle them together so neither rejection goes unhandled.
    const outcomes = Promise.allSettled([held, waiting]);
    await expect.poll(() => site!.stats().requests).toBe(2);
    const { ms } = await timed(() => site!.close());
    // Far below the 10 s the waiting request would otherwise take, whatever the machine's load.
    expect(ms).toBeLessThan(5_000);
    expect((await outcomes).map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    site = undefined;
  });
});
