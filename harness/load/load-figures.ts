import type { MixBody } from './request-mix.ts';

/** What autocannon reports of a load run, as much as the figures read. */
export interface AutocannonResult {
  duration: number;
  connections: number;
  errors: number;
  timeouts: number;
  '2xx': number;
  '4xx': number;
  '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p90: number; p99: number; max: number };
  /** `total`: responses of any status. */
  requests: { average: number; sent: number; total: number };
}

/** autocannon's result, and the answers each body of the mix got (by its index). */
export interface LoadRun {
  result: AutocannonResult;
  answered: number[];
}

/** The load a service took and how it answered: the figures a load run adds to its report. */
export interface LoadFigures {
  connections: number;
  durationS: number;
  /** Requests answered (any status). */
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  status: { '2xx': number; '4xx': number; '429': number; '5xx': number };
  /** Connection errors and requests with no answer within autocannon's timeout. */
  errors: number;
  timeouts: number;
  /** The shape asked for, beside what came of it: the rate (null: no limit) and each body of the mix with the answers it got. */
  asked: { rate: number | null; mix: (MixBody & { answered: number })[] };
}

export function loadFigures({ result, answered }: LoadRun, shape: { rate?: number | undefined; mix: readonly MixBody[] }): LoadFigures {
  return {
    connections: result.connections,
    durationS: result.duration,
    // Not the latency histogram's count: with a rate, autocannon adds corrected samples to it (coordinated omission).
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    status: { '2xx': result['2xx'], '4xx': result['4xx'], '429': result.statusCodeStats['429']?.count ?? 0, '5xx': result['5xx'] },
    errors: result.errors,
    timeouts: result.timeouts,
    asked: { rate: shape.rate ?? null, mix: shape.mix.map((body, index) => ({ ...body, answered: answered[index] ?? 0 })) },
  };
}

/** The shape asked for and what came of it, in one line: the rate against the rate achieved, and each body's answers. */
export function shapeLine(f: LoadFigures): string {
  const rate = f.asked.rate === null ? 'no rate limit' : `rate ${f.asked.rate} req/s asked`;
  const mix = f.asked.mix.map((body) => `${body.store} × ${body.pages} pages (weight ${body.weight}): ${body.answered} answered`);
  return `shape: ${rate}, ${f.requestsPerSecond} req/s achieved; ${mix.join(', ')}`;
}

/** One line for the terminal. */
export function loadLine(f: LoadFigures): string {
  const { p50, p90, p99, max } = f.latencyMs;
  return `load: ${f.requests} requests over ${f.durationS} s on ${f.connections} connections, ${f.requestsPerSecond} req/s; latency p50 ${p50} ms, p90 ${p90} ms, p99 ${p99} ms, max ${max} ms; 2xx ${f.status['2xx']}, 4xx ${f.status['4xx']} (429 ${f.status['429']}), 5xx ${f.status['5xx']}, errors ${f.errors}, timeouts ${f.timeouts}`;
}

/** A section for report.md. */
export function loadMarkdown(f: LoadFigures): string {
  const { p50, p90, p99, max } = f.latencyMs;
  return [
    '## Load',
    '',
    `${f.requests} requests over ${f.durationS} s on ${f.connections} connections (autocannon).`,
    '',
    `Asked: ${f.asked.rate === null ? 'no rate limit' : `${f.asked.rate} requests/s`}; achieved: ${f.requestsPerSecond} requests/s.`,
    '',
    '| store | pages | weight | answered |',
    '|---|---|---|---|',
    ...f.asked.mix.map((body) => `| ${body.store} | ${body.pages} | ${body.weight} | ${body.answered} |`),
    '',
    '| requests/s | p50 ms | p90 ms | p99 ms | max ms | 2xx | 4xx | 429 | 5xx | errors | timeouts |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${f.requestsPerSecond} | ${p50} | ${p90} | ${p99} | ${max} | ${f.status['2xx']} | ${f.status['4xx']} | ${f.status['429']} | ${f.status['5xx']} | ${f.errors} | ${f.timeouts} |`,
    '',
  ].join('\n');
}
