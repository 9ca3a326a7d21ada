import { describe, expect, it } from 'vitest';
import { createCheckSuite } from '../../checkers/check-history.ts';
import { HistoryBuilder } from '../../checkers/testing/history-builder.ts';
import { DRIVER, JOB, POOL, RUN, VIOLATION } from '../attributes.ts';
import { HistorySpans, SPAN, SPAN_EVENT } from './history-spans.ts';
import type { SpanRecord } from './span-record.ts';
import type { TraceDetail } from './trace-config.ts';

/** The history through the real checkers and into the spans, as a run feeds them. */
function spansOf(h: HistoryBuilder, detail: TraceDetail = 'notable'): SpanRecord {
  const spans = new HistorySpans(detail);
  const suite = createCheckSuite();
  for (const event of h.events) {
    spans.event(event);
    for (const violation of suite.step(event)) spans.violation(violation);
  }
  return spans.finish();
}

const child = (span: SpanRecord, name: string) => span.children.find((c) => c.name === name);
const jobSpan = (run: SpanRecord, session: string) =>
  run.children.find((c) => c.name === SPAN.job && c.attributes['session.id'] === session)!;

/** A job that gets browser b1 (launch, context, page), reads two pages and is closed by its `finally`. */
function cleanJob(h: HistoryBuilder, job = 'j1', browser = 'b1'): void {
  h.jobStart(job, 2);
  h.counter(job, 1, 'launch');
  h.launch(browser);
  h.advance(800);
  h.launched(browser);
  const context = h.emit('driver.call', { op: 'newContext', target: browser });
  h.advance(30).returns('newContext', browser, context.seq);
  const page = h.emit('driver.call', { op: 'newPage', target: `${browser}/c1` });
  h.advance(60).returns('newPage', `${browser}/c1`, page.seq);
  h.lock(job, 'attach', 1);
  h.jobWork(job, browser);
  for (let i = 0; i < 2; i++) {
    const call = h.emit('driver.call', { op: 'goto', target: `${browser}/p2`, url: `http://127.0.0.1:0/${i}` }, { session: job });
    h.advance(2_000).returns('goto', `${browser}/p2`, call.seq, job);
  }
  h.jobWorkEnd(job);
  h.lock(job, 'release', 0);
  h.close(browser, job);
  h.advance(150);
  h.closed(browser, job);
  h.counter(job, -1, 'finally');
  h.jobEnd(job);
}

describe('HistorySpans', () => {
  it('gives a job its browser (launch, context, page, called before the job was known), its work and its cleanup path', () => {
    const h = new HistoryBuilder();
    h.start();
    cleanJob(h);
    h.quiescent();
    h.emit('run.end', { reason: 'done', jobsRunning: 0 });
    const run = spansOf(h, 'all');

    expect(run.name).toBe(SPAN.run);
    expect(run.error).toBeUndefined();
    const job = jobSpan(run, 'j1');
    expect(job.children.map((c) => c.name)).toEqual([SPAN.acquire, SPAN.work, SPAN.cleanup('finally')]);
    const acquire = child(job, SPAN.acquire)!;
    expect([acquire.start, acquire.end]).toEqual([0, 890]);
    expect(acquire.events.map((e) => [e.name, e.t, e.attributes[DRIVER.ms]])).toEqual([
      ['browser.launch', 0, 800],
      ['browser.newContext', 800, 30],
      ['context.newPage', 830, 60],
    ]);
    const work = child(job, SPAN.work)!;
    expect(work.attributes[DRIVER.gotoCalls]).toBe(2);
    expect(work.attributes[DRIVER.gotoPending]).toBeUndefined();
    expect(work.attributes[JOB.outlivedJobMs]).toBeUndefined();
    // The cleanup path spans the close it made, up to its decrement.
    const cleanup = child(job, SPAN.cleanup('finally'))!;
    expect(cleanup.events.map((e) => [e.name, e.attributes[DRIVER.ms]])).toEqual([['browser.close', 150]]);
    expect([cleanup.start, cleanup.end! - cleanup.start]).toEqual([cleanup.events[0]!.t, 150]);
    expect(job.events.map((e) => e.name)).toEqual([
      SPAN_EVENT.counterIncrement,
      SPAN_EVENT.lockAttach,
      SPAN_EVENT.lockRelease,
      SPAN_EVENT.browserDown,
      SPAN_EVENT.counterDecrement,
    ]);
    expect(run.events.map((e) => e.name)).toEqual([SPAN_EVENT.quiescent]);
  });

  it('counts a job where nothing happened on the run span instead of tracing it, unless asked for every job', () => {
    const h = new HistoryBuilder();
    h.start();
    cleanJob(h, 'j1', 'b1');
    h.jobStart('j2');
    h.emit('fault.start', { fault: 'throw', id: 1, target: 'b2' }, { session: 'j2' });
    h.jobEnd('j2', false);
    h.emit('run.end', { reason: 'done', jobsRunning: 0 });
    const notable = spansOf(h);
    expect(notable.children.map((c) => c.attributes['session.id'])).toEqual(['j2']);
    expect([notable.attributes[RUN.jobs], notable.attributes[RUN.jobsPlain]]).toEqual([2, 1]);
    expect(spansOf(h, 'all').children.map((c) => c.attributes['session.id'])).toEqual(['j1', 'j2']);
  });

  it("leaves out a plain job's browser calls, made before anyone knew whose they were, and keeps a notable job's", () => {
    const h = new HistoryBuilder();
    h.start();
    cleanJob(h, 'j1', 'b1');
    cleanJob(h, 'j2', 'b2');
    h.emit('fault.start', { fault: 'throw', id: 1, target: 'b2' }, { session: 'j2' });
    h.emit('run.end', { reason: 'done', jobsRunning: 0 });
    const run = spansOf(h);
    expect(run.children.map((c) => c.name)).toEqual([SPAN.job]);
    const acquire = child(jobSpan(run, 'j2'), SPAN.acquire)!;
    expect(acquire.events.map((e) => e.name)).toEqual(['browser.launch', 'browser.newContext', 'context.newPage']);
    expect(spansOf(h, 'all')).toEqual(expect.objectContaining({ children: [expect.anything(), expect.anything()] }));
  });

  it("marks the job of a double decrement ERROR, with both paths and the violation's invariant and seq", () => {
    const h = new HistoryBuilder();
    h.start();
    h.jobStart('j1');
    h.counter('j1', 1, 'launch');
    h.launch('b1');
    h.advance(800);
    h.launched('b1');
    h.jobWork('j1', 'b1');
    h.settle({ counter: 1, sessions: ['j1'], locks: [] });
    h.advance(300_000).watchdog('j1');
    h.counter('j1', -1, 'watchdog', 'harness/pool/legacy/legacy-pool.ts:133:16 (LegacyBrowserService.#safeCloseSession)');
    h.counter('j1', -1, 'finally');
    h.jobEnd('j1', false);
    h.settle({ counter: 0, sessions: [] });
    h.advance(60_000).jobWorkEnd('j1');
    h.emit('run.end', { reason: 'done', jobsRunning: 0 });
    const run = spansOf(h);

    const job = jobSpan(run, 'j1');
    const decrements = job.events.filter((e) => e.name === SPAN_EVENT.counterDecrement);
    expect(decrements.map((e) => e.attributes[POOL.counterPath])).toEqual(['watchdog', 'finally']);
    expect(decrements[0]!.at).toContain('legacy-pool.ts:133');
    expect(job.error).toMatch(/^single-release.*: j1 released twice/);
    const violation = job.events.find((e) => e.name === SPAN_EVENT.violation && e.attributes[VIOLATION.invariant] === 'single-release')!;
    expect(violation.attributes[VIOLATION.historySeq]).toBe(
      h.events.find((e) => e.kind === 'pool.counter' && e.data.path === 'finally')!.seq,
    );
    expect(violation.attributes[`${VIOLATION.valuePrefix}decrements`]).toBe(2);
    expect(job.children.map((c) => c.name)).toContain(SPAN.cleanup('watchdog'));
    // The work went on a minute after its job: the story's bug, kept on the work span.
    expect(child(job, SPAN.work)!.attributes[JOB.outlivedJobMs]).toBe(60_000);
    expect(run.error).toMatch(/violation/);
    expect(run.attributes[`${RUN.violationsPrefix}single-release`]).toBe(1);
  });

  it('ends what the run left unfinished with the run, and keeps unclaimed browsers on the run span', () => {
    const h = new HistoryBuilder();
    h.start();
    h.launch('b9');
    h.jobStart('j1');
    h.launch('b1');
    h.advance(800);
    h.launched('b1');
    h.jobWork('j1', 'b1');
    h.emit('driver.call', { op: 'goto', target: 'b1/p1', url: 'http://127.0.0.1:0/' }, { session: 'j1' });
    h.advance(5_000).emit('run.end', { reason: 'deadline', jobsRunning: 1 });
    const run = spansOf(h);

    expect(run.end).toBe(5_800);
    const job = jobSpan(run, 'j1');
    expect([job.end, job.attributes[JOB.unfinished]]).toEqual([5_800, true]);
    expect(child(job, SPAN.work)!.attributes[DRIVER.gotoPending]).toBe(1);
    const orphan = run.children.find((c) => c.name === SPAN.acquire)!;
    expect([orphan.attributes[JOB.browser], orphan.end]).toEqual(['b9', 5_800]);
    expect(orphan.events.map((e) => [e.name, e.attributes[JOB.unfinished]])).toEqual([['browser.launch', true]]);
  });
});
