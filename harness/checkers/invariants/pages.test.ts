// Pages of shared browsers against their sessions (pages-close-with-session) and against the
// pool's declared limit of pages per browser (pages-per-browser).
import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { pagesCloseWithSession } from './pages-close-with-session.ts';
import { pagesPerBrowser } from './pages-per-browser.ts';

/** Browser b1 with context c1 and one page per job, counted as the pool counts them. */
function jobsInOneBrowser(jobs: string[], poolConfig: Record<string, unknown> = { maxBrowsers: 1 }): HistoryBuilder {
  const b = new HistoryBuilder();
  b.start(poolConfig);
  b.launch('b1', jobs[0]);
  b.launched('b1', jobs[0]);
  b.open('newContext', 'b1', 'b1/c1', jobs[0]);
  jobs.forEach((job, i) => {
    b.jobStart(job);
    b.counter(job, 1, 'acquire', `pool.ts:${20 + i}:5 (run)`);
    b.open('newPage', 'b1/c1', `b1/p${i + 1}`, job);
    b.jobWork(job, 'b1', `b1/p${i + 1}`);
  });
  b.settle({ counter: jobs.length, sessions: jobs });
  return b;
}

describe('pages-close-with-session', () => {
  it('fires when a job ends with its page left open in a browser that stays up, naming the session', () => {
    const b = jobsInOneBrowser(['j1', 'j2']);
    b.jobWorkEnd('j1', false);
    b.counter('j1', -1, 'finally');
    const end = b.jobEnd('j1', false);
    const settle = b.settle({ counter: 1, sessions: ['j2'] });
    const [violation, ...rest] = violationsOf(pagesCloseWithSession, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'pages-close-with-session',
      message: 'page b1/p1 of j1 outlives its session',
      values: { page: 'b1/p1', browser: 'b1', pagesInBrowser: 2 },
      seq: settle.seq,
      session: 'j1',
      at: 'pool.ts:20:5 (run)',
    });
    expect(violation!.recent).toContain(end);
  });

  it('holds when the page closes before the job ends, or its close is in flight at the next settled point', () => {
    const b = jobsInOneBrowser(['j1', 'j2']);
    b.closePart('b1/p1', 'j1');
    b.jobEnd('j1');
    b.settle({ sessions: ['j2'] });
    const close = b.close('b1/p2', 'j2');
    b.jobEnd('j2');
    b.settle({ sessions: [] });
    b.returns('close', 'b1/p2', close.seq, 'j2');
    b.settle({});
    expect(violationsOf(pagesCloseWithSession, b.events)).toEqual([]);
  });

  it('holds when the browser closing takes the page down, or the page is handed to the next job', () => {
    const b = jobsInOneBrowser(['j1']);
    b.close('b1', 'j1');
    b.jobEnd('j1');
    b.settle({ sessions: [] });
    b.closed('b1', 'j1');
    b.settle({});
    const reuse = jobsInOneBrowser(['j1']);
    reuse.jobEnd('j1');
    reuse.jobStart('j2');
    reuse.jobWork('j2', 'b1', 'b1/p1');
    reuse.settle({ sessions: ['j2'] });
    expect(violationsOf(pagesCloseWithSession, b.events)).toEqual([]);
    expect(violationsOf(pagesCloseWithSession, reuse.events)).toEqual([]);
  });
});

describe('pages-per-browser', () => {
  it('fires once when a browser holds more pages than the pool declares, naming the newest page’s session', () => {
    const b = jobsInOneBrowser(['j1', 'j2', 'j3'], { maxBrowsers: 1, maxPagesPerBrowser: 2 });
    b.settle({});
    const [violation, ...rest] = violationsOf(pagesPerBrowser, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'pages-per-browser',
      message: 'browser b1 has 3 pages > maxPagesPerBrowser(2)',
      values: { browser: 'b1', pages: 3, maxPagesPerBrowser: 2 },
      session: 'j3',
      at: 'pool.ts:22:5 (run)',
    });
  });

  it('leaves out a page whose close is in flight, and says nothing without a declared limit', () => {
    const b = jobsInOneBrowser(['j1', 'j2'], { maxBrowsers: 1, maxPagesPerBrowser: 2 });
    const close = b.close('b1/p1', 'j1');
    b.open('newPage', 'b1/c1', 'b1/p3', 'j3');
    b.settle({});
    b.returns('close', 'b1/p1', close.seq, 'j1');
    b.settle({});
    expect(violationsOf(pagesPerBrowser, b.events)).toEqual([]);
    expect(violationsOf(pagesPerBrowser, jobsInOneBrowser(['j1', 'j2', 'j3']).events)).toEqual([]);
  });
});
