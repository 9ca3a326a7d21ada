import { describe, expect, it } from 'vitest';
import { type AutocannonResult, loadFigures, loadLine, loadMarkdown, shapeLine } from './load-figures.ts';

const result: AutocannonResult = {
  duration: 3.02,
  connections: 40,
  errors: 1,
  timeouts: 2,
  '2xx': 10,
  '4xx': 95,
  '5xx': 3,
  statusCodeStats: { '200': { count: 10 }, '400': { count: 5 }, '429': { count: 90 }, '502': { count: 3 } },
  latency: { p50: 2, p90: 9, p99: 40, max: 2500 },
  requests: { average: 35.67, sent: 150, total: 108 },
};

const shape = {
  rate: 50,
  mix: [
    { store: 'store-1', pages: 2, weight: 3 },
    { store: 'store-2', pages: 5, weight: 1 },
  ],
};
const run = { result, answered: [80, 28] };

describe('loadFigures', () => {
  it("reads autocannon's result: answered requests, rate, percentiles, status classes and 429s apart", () => {
    expect(loadFigures(run, shape)).toEqual({
      connections: 40,
      durationS: 3.02,
      requests: 108,
      requestsPerSecond: 35.67,
      latencyMs: { p50: 2, p90: 9, p99: 40, max: 2500 },
      status: { '2xx': 10, '4xx': 95, '429': 90, '5xx': 3 },
      errors: 1,
      timeouts: 2,
      asked: {
        rate: 50,
        mix: [
          { store: 'store-1', pages: 2, weight: 3, answered: 80 },
          { store: 'store-2', pages: 5, weight: 1, answered: 28 },
        ],
      },
    });
  });

  it('counts no 429s when none came', () => {
    expect(loadFigures({ ...run, result: { ...result, statusCodeStats: { '200': { count: 10 } } } }, shape).status['429']).toBe(0);
  });

  it('says the same figures on the terminal and in report.md', () => {
    const figures = loadFigures(run, shape);
    expect(loadLine(figures)).toBe(
      'load: 108 requests over 3.02 s on 40 connections, 35.67 req/s; latency p50 2 ms, p90 9 ms, p99 40 ms, max 2500 ms; 2xx 10, 4xx 95 (429 90), 5xx 3, errors 1, timeouts 2',
    );
    expect(loadMarkdown(figures)).toContain('| 35.67 | 2 | 9 | 40 | 2500 | 10 | 95 | 90 | 3 | 1 | 2 |');
    expect(loadMarkdown(figures)).toContain('Asked: 50 requests/s; achieved: 35.67 requests/s.');
    expect(loadMarkdown(figures)).toContain('| store-2 | 5 | 1 | 28 |');
    expect(shapeLine(figures)).toBe(
      'shape: rate 50 req/s asked, 35.67 req/s achieved; store-1 × 2 pages (weight 3): 80 answered, store-2 × 5 pages (weight 1): 28 answered',
    );
    expect(shapeLine(loadFigures(run, { mix: shape.mix }))).toMatch(/^shape: no rate limit, /);
  });
});
