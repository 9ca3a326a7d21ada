import { describe, expect, it } from 'vitest';
import type { AnyEvent } from '../history/events.ts';
import { checkHistory, createCheckSuite } from './check-history.ts';
import { asChecker, type Invariant, violationAt } from './invariant.ts';
import { ALL_INVARIANTS, singleRelease } from './invariants/index.ts';
import { HistoryBuilder } from './testing/history-builder.ts';
import type { InvariantName, Violation } from './violation.ts';
import { countsOf } from './violation.ts';
import { Aspect } from './world.ts';

/**
 * The story in small: j1 finishes cleanly; j2's watchdog fires, its work keeps running, both the
 * watchdog and the finally block release its slot, and its lock is never released.
 */
function storyHistory(): AnyEvent[] {
  const b = new HistoryBuilder();
  b.start({ maxBrowsers: 2, watchdogMs: 300_000 });
  for (const [job, browser] of [
    ['j1', 'b1'],
    ['j2', 'b2'],
  ] as const) {
    b.jobStart(job);
    b.counter(job, 1, 'launch', 'legacy-pool.ts:60:5 (getCamoufoxPage)');
    b.launch(browser, job);
  }
  b.settle({ counter: 2, sessions: [], locks: [] });
  b.advance(800);
  for (const [job, browser] of [
    ['j1', 'b1'],
    ['j2', 'b2'],
  ] as const) {
    b.launched(browser, job);
    b.lock(job, 'attach', 1, 'lock-registry.ts:25:5 (attach)');
    b.jobWork(job, browser);
  }
  b.settle({
    sessions: ['j1', 'j2'],
    locks: [
      { session: 'j1', holders: 1 },
      { session: 'j2', holders: 1 },
    ],
  });
  b.advance(5_000).jobWorkEnd('j1');
  b.lock('j1', 'release', 0);
  b.close('b1', 'j1');
  b.settle({ sessions: ['j2'], locks: [{ session: 'j2', holders: 1 }] });
  b.advance(150).closed('b1', 'j1');
  b.counter('j1', -1, 'finally', 'legacy-pool.ts:120:5 (closeSession)');
  b.jobEnd('j1');
  b.settle({ counter: 1 });
  b.advance(300_000).timer('pool', 'watchdog');
  b.watchdog('j2', 300_000, 'legacy-pool.ts:82:9 (getReviews)');
  b.counter('j2', -1, 'watchdog', 'legacy-pool.ts:96:9 (safeCloseSession)');
  b.counter('j2', -1, 'finally', 'legacy-pool.ts:120:5 (closeSession)');
  b.jobEnd('j2', false);
  b.settle({ counter: 0, sessions: [] });
  b.quiescent(1, ['lock-sweep']);
  b.emit('run.end', { reason: 'done', jobsRunning: 0 });
  return b.events;
}

describe('check suite', () => {
  it('finds the story’s bugs, each where it happened', () => {
    const { violations, counts } = checkHistory(storyHistory());
    expect(violations.map((v) => [v.invariant, v.message])).toEqual([
      ['single-release', 'j2 released twice: paths watchdog, finally'],
      ['work-cancelled', 'job j2 ended while its work still runs'],
      ['counter-matches-browsers', 'counter(0) < browsers(1)'],
      ['lock-ownership', 'lock of j2 outlives its session (orphan)'],
      ['quiescence', 'after close: 1 locks, 1 browsers, 1 timers remain'],
    ]);
    expect(counts).toEqual({
      ...countsOf(),
      'single-release': 1,
      'work-cancelled': 1,
      'counter-matches-browsers': 1,
      'lock-ownership': 1,
      quiescence: 1,
    });
  });

  it('counts every invariant, budget included, from zero', () => {
    expect(createCheckSuite().counts).toEqual({
      'counter-matches-sessions': 0,
      'counter-within-bounds': 0,
      'counter-matches-browsers': 0,
      'counter-matches-processes': 0,
      'browsers-within-limit': 0,
      'pages-close-with-session': 0,
      'pages-per-browser': 0,
      'lock-ownership': 0,
      'lock-held-by-session': 0,
      'listeners-removed': 0,
      'single-release': 0,
      'work-cancelled': 0,
      'no-slot-after-end': 0,
      'closed-pool-idle': 0,
      quiescence: 0,
      'processes-at-quiescence': 0,
      budget: 0,
    });
  });

  it('gives offline exactly what it gave online, event by event', () => {
    const events = storyHistory();
    const suite = createCheckSuite();
    const online: Violation[] = [];
    for (const event of events) online.push(...suite.step(event));
    expect(online).toEqual(suite.violations);
    // Offline reads the history back from JSON, as from history.ndjson.
    const saved = events.map((event) => JSON.parse(JSON.stringify(event)) as AnyEvent);
    const offline = checkHistory(saved);
    expect(offline.violations).toStrictEqual(JSON.parse(JSON.stringify(online)));
    expect(offline.counts).toEqual(suite.counts);
  });

  it('lets the invariants see the state after the event, with the event among the recent ones', () => {
    const b = new HistoryBuilder();
    b.counter('j1', 1, 'launch');
    b.counter('j1', -1, 'finally');
    const culprit = b.counter('j1', -1, 'watchdog');
    const suite = createCheckSuite();
    const found = b.events.map((event) => suite.step(event));
    expect(found.slice(0, 2)).toEqual([[], []]);
    const [violation] = found[2]!;
    expect(violation?.values).toMatchObject({ increments: 1, decrements: 2 });
    expect(violation?.recent.at(-1)).toBe(culprit);
  });

  it('returns nothing for events no invariant looks at', () => {
    const suite = createCheckSuite();
    const b = new HistoryBuilder();
    expect(suite.step(b.launch('b1'))).toEqual([]);
    expect(suite.step(b.timer('pool', 'watchdog'))).toEqual([]);
    expect(suite.step(b.jobWork('j1', 'b1'))).toEqual([]);
  });

  it('finds with one invariant alone what it finds within the suite', () => {
    const events = storyHistory();
    for (const invariant of ALL_INVARIANTS) {
      const checker = asChecker(invariant);
      const state = checker.init();
      const alone = events.flatMap((event) => checker.step(state, event));
      expect(alone).toEqual(checkHistory(events).violations.filter((v) => v.invariant === invariant.name));
    }
    expect(asChecker(singleRelease).name).toBe('single-release');
  });

  it('calls a dormant invariant on nothing but its wake-up kind until it comes, then keeps the suite order', () => {
    const seen: string[] = [];
    const probe = (name: InvariantName, extra: Partial<Invariant<undefined>> = {}): Invariant<undefined> => ({
      name,
      kinds: ['pool.closed', 'job.work'],
      init: () => undefined,
      check(world, _state, event) {
        seen.push(`${name}@${event.kind}`);
        return [violationAt(world, name, event, name, {})];
      },
      ...extra,
    });
    const suite = createCheckSuite([probe('closed-pool-idle', { dormantUntil: 'pool.closed' }), probe('no-slot-after-end')]);
    const b = new HistoryBuilder();
    suite.step(b.jobWork('j1', 'b1'));
    suite.step(b.emit('pool.closed', { ok: true }));
    const late = suite.step(b.jobWork('j2', 'b1'));
    expect(seen).toEqual([
      'no-slot-after-end@job.work',
      'closed-pool-idle@pool.closed',
      'no-slot-after-end@pool.closed',
      'closed-pool-idle@job.work',
      'no-slot-after-end@job.work',
    ]);
    expect(late.map((v) => v.invariant)).toEqual(['closed-pool-idle', 'no-slot-after-end']);
  });

  it('calls a settle invariant only at settled points where something it reads moved since the last one judged', () => {
    const seen: string[] = [];
    const probe = (name: InvariantName, settleOn?: number): Invariant<undefined> => ({
      name,
      kinds: ['settle'],
      ...(settleOn === undefined ? {} : { settleOn }),
      init: () => undefined,
      check(_world, _state, event) {
        seen.push(`${name}@${event.seq}`);
        return [];
      },
    });
    const suite = createCheckSuite([probe('lock-ownership', Aspect.locks | Aspect.sessions), probe('counter-matches-browsers')]);
    const b = new HistoryBuilder();
    const at = (event: AnyEvent) => {
      suite.step(event);
      return event.seq;
    };
    const counted = at(b.settle({ counter: 1 }));
    at(b.settle({}));
    at(b.launch('b1'));
    const launched = at(b.settle({}));
    const locked = at(b.settle({ locks: [{ session: 'j1', holders: 1 }] }));
    // Nothing moved at the second settle: neither is called. One that does not say what it reads
    // is called whenever anything moved; the other only when the locks or the sessions did.
    expect(seen).toEqual([
      `counter-matches-browsers@${counted}`,
      `counter-matches-browsers@${launched}`,
      `lock-ownership@${locked}`,
      `counter-matches-browsers@${locked}`,
    ]);
  });

  it('wants page traffic only once an invariant looks at driver calls: the closed pool’s, when it closes', () => {
    const suite = createCheckSuite();
    const b = new HistoryBuilder();
    suite.step(b.jobWork('j1', 'b1'));
    expect(suite.wants.pageTraffic).toBe(false);
    suite.step(b.emit('pool.closed', { ok: true }));
    expect(suite.wants.pageTraffic).toBe(true);
  });
});
