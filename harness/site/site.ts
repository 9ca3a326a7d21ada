import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadKnobError, DRIP_CHUNKS, knobsFromQuery, type SiteFault } from './faults.ts';
import { challengePageHtml, errorPageHtml, reviewApiBody, reviewPageHtml } from './pages.ts';
import { RequestGate } from './request-gate.ts';

/**
 * The header a real driver sends with every request of a browser (through
 * `newContext({ extraHTTPHeaders: { [SITE_BROWSER_HEADER]: browserId } })`), so faults can be
 * armed on one browser's traffic.
 */
export const SITE_BROWSER_HEADER = 'x-tally-browser';

export const DEFAULT_PAGES_PER_STORE = 500;

/** How soon after an armed reset a resend of the same URL counts as the browser's retry. */
export const RESET_RETRY_WINDOW_MS = 250;

export interface SiteOptions {
  /** Every response waits this long before it is answered (default 0). */
  latencyMs?: number;
  /** Pages 0..pagesPerStore-1 exist for every store; later ones are 404 (default 500). */
  pagesPerStore?: number;
  /** The wall clock the reset-retry window is read on (default Date.now; tests move it by hand). */
  now?: () => number;
}

/** How a request ended. `stalled` is counted when the request is held, the others when it ends. */
export type SiteOutcome = 'ok' | 'notFound' | 'badRequest' | 'challenge' | 'serverError' | 'reset' | 'stalled' | 'aborted';

export interface SiteStats {
  requests: number;
  /** Being answered now (waiting out latency, or dripping); held requests are not counted here. */
  inFlight: number;
  /** Held by a stall, their client still waiting. */
  held: number;
  byOutcome: Record<SiteOutcome, number>;
  /** Requests per `x-tally-browser` value (requests without it are not counted here). */
  byBrowser: Record<string, number>;
}

export interface Site {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** `browser`'s next review-page request gets `fault` (faults armed twice apply in turn). */
  arm(browser: string, fault: SiteFault): void;
  /** Hold `browser`'s requests in flight now, or its next review-page request if none is, forever. */
  stall(browser: string): void;
  stats(): SiteStats;
  /** Ends every request and socket, held ones included. */
  close(): Promise<void>;
}

interface InFlight {
  browser: string | undefined;
  gate: RequestGate;
}

type Route = { kind: 'page' | 'api'; store: string; page: number } | { kind: 'unknown' };

const ROUTE = /^\/(api\/)?store\/([^/]+)\/reviews$/;

function routeOf(url: URL): Route {
  const match = ROUTE.exec(url.pathname);
  const pageText = url.searchParams.get('page');
  if (!match || pageText === null || !/^\d+$/.test(pageText)) return { kind: 'unknown' };
  return { kind: match[1] ? 'api' : 'page', store: match[2]!, page: Number(pageText) };
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
  outcome: SiteOutcome;
}

function html(status: number, body: string, outcome: SiteOutcome): Answer {
  return { status, contentType: 'text/html; charset=utf-8', body, outcome };
}

/** The target site: a local stand-in for the review platform, with faults on demand. */
export async function startSite(options: SiteOptions = {}): Promise<Site> {
  const latencyMs = options.latencyMs ?? 0;
  const pagesPerStore = options.pagesPerStore ?? DEFAULT_PAGES_PER_STORE;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(latencyMs) || latencyMs < 0)
    throw new Error(`startSite: latencyMs must be whole milliseconds >= 0, got ${latencyMs}`);
  if (!Number.isInteger(pagesPerStore) || pagesPerStore < 1)
    throw new Error(`startSite: pagesPerStore must be a whole number >= 1, got ${pagesPerStore}`);

  const armed = new Map<string, SiteFault[]>();
  const inFlight = new Set<InFlight>();
  const byOutcome: Record<SiteOutcome, number> = {
    ok: 0,
    notFound: 0,
    badRequest: 0,
    challenge: 0,
    serverError: 0,
    reset: 0,
    stalled: 0,
    aborted: 0,
  };
  const byBrowser: Record<string, number> = {};
  const resetRetries = new Map<string, { url: string | undefined; until: number }>();
  let requests = 0;
  let closing = false;

  function takeArmed(browser: string | undefined): SiteFault | undefined {
    if (browser === undefined) return undefined;
    const queue = armed.get(browser);
    const fault = queue?.shift();
    if (queue?.length === 0) armed.delete(browser);
    return fault;
  }

  /**
   * A browser resends a request whose reused keep-alive connection was reset (Chromium once or
   * twice, Firefox up to ten times, within milliseconds), so one armed reset would go unnoticed:
   * the resends of the same URL that follow it closely are reset too.
   */
  function retriedReset(browser: string | undefined, url: string | undefined): SiteFault | undefined {
    const last = browser === undefined ? undefined : resetRetries.get(browser);
    if (!last) return undefined;
    resetRetries.delete(browser!);
    return last.url === url && now() <= last.until ? { kind: 'reset' } : undefined;
  }

  function arm(browser: string, fault: SiteFault): void {
    const queue = armed.get(browser) ?? [];
    queue.push(fault);
    armed.set(browser, queue);
  }

  function hold(request: InFlight): void {
    if (request.gate.held) return;
    request.gate.hold();
    byOutcome.stalled++;
  }

  function answerFor(route: Route, fault: SiteFault | undefined): Answer {
    if (fault?.kind === 'serverError') return html(503, errorPageHtml(503, 'Service temporarily unavailable'), 'serverError');
    if (fault?.kind === 'challenge') return html(200, challengePageHtml(), 'challenge');
    if (route.kind === 'unknown') return html(404, errorPageHtml(404, 'No such page'), 'notFound');
    if (route.page >= pagesPerStore)
      return html(404, errorPageHtml(404, `${route.store} has ${pagesPerStore} pages of reviews`), 'notFound');
    if (route.kind === 'page') return html(200, reviewPageHtml(route.store, route.page, pagesPerStore), 'ok');
    return {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify(reviewApiBody(route.store, route.page, pagesPerStore)),
      outcome: 'ok',
    };
  }

  async function send(res: ServerResponse, gate: RequestGate, answer: Answer, dripMs: number | undefined): Promise<void> {
    const body = Buffer.from(answer.body);
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': body.length, 'cache-control': 'no-store' });
    if (dripMs === undefined) return void res.end(body);
    res.flushHeaders();
    const size = Math.ceil(body.length / DRIP_CHUNKS);
    for (let at = 0; at < body.length; at += size) {
      await gate.pass(at === 0 ? 0 : dripMs);
      if (res.destroyed) return;
      res.write(body.subarray(at, at + size));
    }
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const header = req.headers[SITE_BROWSER_HEADER];
    const browser = typeof header === 'string' ? header : undefined;
    if (browser !== undefined) byBrowser[browser] = (byBrowser[browser] ?? 0) + 1;
    const request: InFlight = { browser, gate: new RequestGate() };
    inFlight.add(request);
    let outcome: SiteOutcome | undefined;
    res.on('close', () => {
      inFlight.delete(request);
      request.gate.cancel();
      if (request.gate.held) return;
      if (outcome === 'reset' || (outcome && res.writableFinished)) byOutcome[outcome]++;
      else byOutcome.aborted++;
    });

    const url = new URL(req.url ?? '/', 'http://site.invalid');
    const route = routeOf(url);
    let knobs: ReturnType<typeof knobsFromQuery>;
    try {
      knobs = knobsFromQuery(url.searchParams);
    } catch (error) {
      if (!(error instanceof BadKnobError)) throw error;
      await request.gate.pass(latencyMs);
      outcome = 'badRequest';
      return send(res, request.gate, html(400, errorPageHtml(400, error.message), 'badRequest'), undefined);
    }
    const armedFault = knobs.fault ? undefined : route.kind === 'page' ? (retriedReset(browser, req.url) ?? takeArmed(browser)) : undefined;
    const fault = knobs.fault ?? armedFault;
    if (fault?.kind === 'stall') {
      hold(request);
      return;
    }
    await request.gate.pass(latencyMs + knobs.extraLatencyMs + (fault?.kind === 'latency' ? fault.ms : 0));
    if (fault?.kind === 'reset') {
      outcome = 'reset';
      if (armedFault?.kind === 'reset' && browser !== undefined)
        resetRetries.set(browser, { url: req.url, until: now() + RESET_RETRY_WINDOW_MS });
      req.socket.resetAndDestroy();
      return;
    }
    const answer = answerFor(route, fault);
    outcome = answer.outcome;
    await send(res, request.gate, answer, fault?.kind === 'drip' ? fault.dripMs : undefined);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug of the site, not a fault it was asked for: say so and let the client go.
      console.error(`target site: ${req.method} ${req.url} failed:`, error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    arm,
    stall(browser) {
      let heldOne = false;
      for (const request of inFlight) {
        if (request.browser !== browser || request.gate.held) continue;
        hold(request);
        heldOne = true;
      }
      if (!heldOne) arm(browser, { kind: 'stall' });
    },
    stats() {
      let held = 0;
      for (const request of inFlight) if (request.gate.held) held++;
      return { requests, inFlight: inFlight.size - held, held, byOutcome: { ...byOutcome }, byBrowser: { ...byBrowser } };
    },
    close() {
      if (closing) return Promise.resolve();
      closing = true;
      for (const request of inFlight) request.gate.cancel();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // close() alone waits for open sockets (keep-alive, held requests); these never end by themselves.
      server.closeAllConnections();
      return closed;
    },
  };
}
