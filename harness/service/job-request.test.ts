import { describe, expect, it } from 'vitest';
import { parseJobRequest } from './job-request.ts';

const ORIGIN = 'http://127.0.0.1:4100';
const problemOf = (body: unknown) => {
  const checked = parseJobRequest(body, ORIGIN);
  return checked.ok ? undefined : checked.problem;
};

describe('parseJobRequest', () => {
  it('accepts a store, or a URL of its reviews on the target site', () => {
    expect(parseJobRequest({ store: 'store-1', pages: 2 }, ORIGIN)).toEqual({ ok: true, value: { store: 'store-1', pages: 2 } });
    expect(parseJobRequest({ url: `${ORIGIN}/store/acme/reviews?page=0` }, ORIGIN)).toEqual({
      ok: true,
      value: { store: 'acme', pages: 1 },
    });
  });

  it('names the field that is wrong', () => {
    expect(problemOf({ store: 'store-1', pages: 'two' })).toMatch(/^pages: .*number/);
    expect(problemOf({ store: 'store-1', pages: 0 })).toMatch(/^pages: /);
    expect(problemOf({ store: 'store-1', pages: 1.5 })).toMatch(/^pages: .*expected int/);
    expect(problemOf({ store: '../admin' })).toMatch(/^store: expected a store name/);
    expect(problemOf({ store: 'store-1', extra: true })).toMatch(/extra/);
    expect(problemOf({})).toMatch(/exactly one of `store` or `url`/);
    expect(problemOf({ store: 'a', url: `${ORIGIN}/store/a/reviews` })).toMatch(/exactly one/);
    expect(problemOf([])).toMatch(/^body: /);
    expect(problemOf(null)).toMatch(/^body: /);
  });

  it('refuses any URL that is not a review page of the target site', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'file:///etc/passwd',
      'http://127.0.0.1:4101/store/a/reviews',
      'https://127.0.0.1:4100/store/a/reviews',
      'http://user:pw@127.0.0.1:4100/store/a/reviews',
      'javascript:alert(1)',
      'data:text/html,<h1>x</h1>',
      'http://localhost:4100/store/a/reviews',
    ])
      expect(problemOf({ url }), url).toMatch(/^url: only the target site/);
    expect(problemOf({ url: `${ORIGIN}/redirect?to=http://example.com` })).toMatch(/^url: not a store's reviews/);
    expect(problemOf({ url: `${ORIGIN}/store/%2e%2e/reviews` })).toMatch(/^url: not a store's reviews/);
    expect(problemOf({ url: 'not a url' })).toBe('url: not an absolute URL');
  });
});
