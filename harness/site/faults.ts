/**
 * The faults the target site can inflict on one request. They come from the request's query string
 * (`?page=3&fault=drip&dripMs=200&latency=50`), or are armed per browser by the harness
 * (`site.arm(browser, fault)`).
 */
export type SiteFault =
  /** Never answer: the request stays open until the client goes away or the site closes. */
  | { kind: 'stall' }
  /** Reset the connection (TCP RST) instead of answering. */
  | { kind: 'reset' }
  /** 503 with an error page. */
  | { kind: 'serverError' }
  /** Send the body in DRIP_CHUNKS chunks, `dripMs` apart. */
  | { kind: 'drip'; dripMs: number }
  /** A bot-challenge page: 200, a `.challenge` element, no reviews. */
  | { kind: 'challenge' }
  /** Answer normally after `ms` more than the site's latency. */
  | { kind: 'latency'; ms: number };

export type SiteFaultKind = SiteFault['kind'];

/** How many pieces a dripped body is cut into. */
export const DRIP_CHUNKS = 8;
export const DEFAULT_DRIP_MS = 250;

const QUERY_FAULTS = ['stall', 'reset', 'serverError', 'drip', 'challenge'] as const;

/** A query string the site cannot act on; answered with 400 and this message. */
export class BadKnobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadKnobError';
  }
}

export interface QueryKnobs {
  fault: SiteFault | undefined;
  /** `latency=N`: added to the site's latency for this request. */
  extraLatencyMs: number;
}

export function knobsFromQuery(query: URLSearchParams): QueryKnobs {
  const extraLatencyMs = msParam(query, 'latency') ?? 0;
  const name = query.get('fault');
  if (name === null) return { fault: undefined, extraLatencyMs };
  if (!(QUERY_FAULTS as readonly string[]).includes(name)) {
    throw new BadKnobError(`unknown fault '${name}': expected one of ${QUERY_FAULTS.join(', ')}`);
  }
  const kind = name as (typeof QUERY_FAULTS)[number];
  const fault: SiteFault = kind === 'drip' ? { kind, dripMs: msParam(query, 'dripMs') ?? DEFAULT_DRIP_MS } : { kind };
  return { fault, extraLatencyMs };
}

function msParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000)
    throw new BadKnobError(`${name}=${text}: expected whole milliseconds from 0 to 600000`);
  return ms;
}
