// The counter of a pool whose jobs share browsers: it counts contexts or pages, one per job, and is
// compared with the driver's live contexts or pages, within the band of what is in flight.
import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { counterMatchesBrowsers } from './counter-matches-browsers.ts';
import { counterMatchesSessions } from './counter-matches-sessions.ts';
import { counterWithinBounds } from './counter-within-bounds.ts';

/** One shared browser b1 with one context; jobs j1 and j2 each have a page in it. */
function twoPagesInOneBrowser(b: HistoryBuilder): void {
  b.start({ maxBrowsers: 1 });
  b.settle({ counts: 'pages' });
  b.jobStart('j1');
  b.jobStart('j2');
  b.counter('j1', 1, 'acquire');
  b.counter('j2', 1, 'acquire');
  b.launch('b1', 'j1');
  b.settle({ counter: 2, sessions: ['j1', 'j2'] }); // both wait on one launch, both counted
  b.launched('b1', 'j1');
  b.open('newContext', 'b1', 'b1/c1', 'j1');
  b.open('newPage', 'b1/c1', 'b1/p2', 'j1');
  b.open('newPage', 'b1/c1', 'b1/p3', 'j2');
  b.jobWork('j1', 'b1', 'b1/p2');
  b.jobWork('j2', 'b1', 'b1/p3');
  b.settle({});
}

const messages = (invariant: Parameters<typeof violationsOf>[0], b: HistoryBuilder) =>
  violationsOf(invariant, b.events).map((v) => v.message);

describe('a counter of pages in shared browsers', () => {
  it('holds for two jobs sharing one browser, each on its own page, over more than maxBrowsers', () => {
    const b = new HistoryBuilder();
    twoPagesInOneBrowser(b);
    expect(messages(counterMatchesBrowsers, b)).toEqual([]);
    expect(messages(counterMatchesSessions, b)).toEqual([]);
    expect(messages(counterWithinBounds, b)).toEqual([]);
  });

  it('holds through a job closing its page, whichever comes first, the close or the decrement', () => {
    const b = new HistoryBuilder();
    twoPagesInOneBrowser(b);
    const close = b.close('b1/p2', 'j1');
    b.settle({ sessions: ['j2'] });
    b.returns('close', 'b1/p2', close.seq, 'j1');
    b.counter('j1', -1, 'finally');
    b.settle({ counter: 1 });
    expect(messages(counterMatchesBrowsers, b)).toEqual([]);
    expect(messages(counterMatchesSessions, b)).toEqual([]);
  });

  it('fires when a page is closed and its slot never given back', () => {
    const b = new HistoryBuilder();
    twoPagesInOneBrowser(b);
    b.closePart('b1/p2', 'j1');
    b.jobEnd('j1');
    b.settle({});
    expect(messages(counterMatchesBrowsers, b)).toEqual(['counter(2) > pages(1)']);
  });

  it('fires when a slot is given back and its page left open, blaming the job whose page it is', () => {
    const b = new HistoryBuilder();
    twoPagesInOneBrowser(b);
    b.counter('j1', -1, 'finally', 'my-pool.ts:30:9 (run)');
    b.jobEnd('j1');
    b.counter('j3', 1, 'acquire', 'my-pool.ts:20:5 (run)'); // a later, innocent change
    b.counter('j3', -1, 'finally', 'my-pool.ts:30:9 (run)');
    b.settle({ counter: 1, sessions: ['j2'] });
    const [violation] = violationsOf(counterMatchesBrowsers, b.events);
    expect(violation).toMatchObject({ message: 'counter(1) < pages(2)', session: 'j1', at: 'my-pool.ts:30:9 (run)' });
  });

  it('blames a session the pool still lists whose page is gone when the counter is too high', () => {
    const b = new HistoryBuilder();
    twoPagesInOneBrowser(b);
    b.closePart('b1/p3', 'j2');
    b.counter('j1', 1, 'acquire'); // the latest increment, not the culprit
    b.counter('j1', -1, 'undo');
    b.settle({});
    const [violation] = violationsOf(counterMatchesBrowsers, b.events);
    expect(violation).toMatchObject({ message: 'counter(2) > pages(1)', session: 'j2' });
  });

  it('allows for every page a crashed browser took down until its disconnect is handled', () => {
    const b = new HistoryBuilder();
    twoPagesInOneBrowser(b);
    b.down('b1', 'crash', undefined, false);
    b.settle({});
    expect(messages(counterMatchesBrowsers, b)).toEqual([]);
    const close = b.close('b1', 'j1');
    b.handled('b1', 2);
    b.settle({});
    expect(messages(counterMatchesBrowsers, b)).toEqual([]);
    b.returns('close', 'b1', close.seq, 'j1');
    b.settle({});
    expect(messages(counterMatchesBrowsers, b)).toEqual(['counter(2) > pages(0)']);
  });

  it('counts the pages a closing context takes with it', () => {
    const b = new HistoryBuilder();
    twoPagesInOneBrowser(b);
    const close = b.close('b1/c1');
    b.counter('j1', -1, 'finally');
    b.counter('j2', -1, 'finally');
    b.settle({ counter: 0, sessions: [] });
    b.returns('close', 'b1/c1', close.seq);
    b.settle({});
    expect(messages(counterMatchesBrowsers, b)).toEqual([]);
  });
});

describe('a counter of contexts in shared browsers', () => {
  it('compares with live contexts, and fires on a context left open', () => {
    const b = new HistoryBuilder();
    b.settle({ counts: 'contexts' });
    b.jobStart('j1');
    b.counter('j1', 1, 'acquire');
    b.launch('b1', 'j1');
    b.launched('b1', 'j1');
    b.open('newContext', 'b1', 'b1/c1', 'j1');
    b.open('newPage', 'b1/c1', 'b1/p2', 'j1');
    b.jobWork('j1', 'b1');
    b.settle({ counter: 1, sessions: ['j1'] });
    expect(messages(counterMatchesBrowsers, b)).toEqual([]);
    b.counter('j1', -1, 'finally');
    b.jobEnd('j1');
    b.settle({ counter: 0, sessions: [] });
    expect(messages(counterMatchesBrowsers, b)).toEqual(['counter(0) < contexts(1)']);
  });
});
