import { describe, expect, it } from 'vitest';
import type { OsBrowserTree } from '../../history/events.ts';
import { HistoryBuilder, stateAfter, violationsOf } from '../testing/history-builder.ts';
import { browsersWithinLimit } from './browsers-within-limit.ts';

function osSample(b: HistoryBuilder, trees: OsBrowserTree[]) {
  return b.emit('os.sample', { browsers: trees, processes: trees.length, pssMB: 100, reason: 'interval' });
}

const tree = (browser: string, pids = [1]): OsBrowserTree => ({ browser, pids, pssMB: 50 }) as OsBrowserTree;

/** Two browsers up for j1 and j2, under a limit of two. */
function twoUp(): HistoryBuilder {
  const b = new HistoryBuilder();
  b.start({ maxBrowsers: 2 }, 'r1');
  for (const [job, browser] of [
    ['j1', 'b1'],
    ['j2', 'b2'],
  ] as const) {
    b.counter(job, 1, 'launch');
    b.launch(browser, job);
    b.launched(browser, job);
  }
  b.settle({ counter: 2, sessions: ['j1', 'j2'] });
  return b;
}

describe('browsers-within-limit', () => {
  it('fires when a slot given back twice lets a third browser up past maxBrowsers, blaming that release', () => {
    const b = twoUp();
    b.counter('j1', -1, 'watchdog');
    const second = b.counter('j1', -1, 'finally', 'pool.ts:90:5 (release)');
    b.counter('j3', 1, 'launch');
    b.launch('b3', 'j3');
    b.launched('b3', 'j3');
    const settle = b.settle({ counter: 1, sessions: ['j1', 'j2', 'j3'] });
    const [violation, ...rest] = violationsOf(browsersWithinLimit, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'browsers-within-limit',
      message: 'browsers(3) > maxBrowsers(2)',
      values: { browsers: 3, maxBrowsers: 2, counter: 1 },
      seq: settle.seq,
      session: 'j1',
      at: second.at,
    });
  });

  it('allows the next browser up while the one whose slot was given back is still closing', () => {
    const b = twoUp();
    b.counter('j1', -1, 'finally');
    b.close('b1', 'j1');
    b.counter('j3', 1, 'launch');
    b.launch('b3', 'j3');
    b.launched('b3', 'j3');
    b.settle({ counter: 2, sessions: ['j2', 'j3'] });
    b.closed('b1', 'j1');
    b.settle({});
    osSample(b, [tree('b1'), tree('b2'), tree('b3')]);
    expect(violationsOf(browsersWithinLimit, b.events)).toEqual([]);
  });

  it('counts the browsers the operating system sees, leaving out those going down until a sample shows them gone', () => {
    const b = twoUp();
    b.down('b1', 'crash');
    // b1's processes linger after its crash: in the band, not over the limit.
    osSample(b, [tree('b1'), tree('b2'), tree('b3')]);
    expect(violationsOf(browsersWithinLimit, b.events)).toEqual([]);
    // A browser the driver does not know of (lost track of, never closed) counts.
    const sample = osSample(b, [tree('b1', []), tree('b2'), tree('b3'), tree('b4')]);
    const [violation, ...rest] = violationsOf(browsersWithinLimit, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({ message: 'browsers with processes(3) > maxBrowsers(2)', seq: sample.seq });
  });

  it('says nothing when the run sets no limit', () => {
    const b = new HistoryBuilder();
    b.start({});
    for (const browser of ['b1', 'b2', 'b3']) {
      b.launch(browser);
      b.launched(browser);
    }
    b.settle({ counter: 3 });
    expect(violationsOf(browsersWithinLimit, b.events)).toEqual([]);
  });

  it('keeps no down browser waiting for its processes on a run whose driver samples none', () => {
    const exitingAfter = (runId?: string) => {
      const b = new HistoryBuilder();
      b.start({ maxBrowsers: 50 }, runId);
      for (let i = 1; i <= 40; i++) {
        b.launch(`b${i}`);
        b.launched(`b${i}`);
        b.down(`b${i}`, 'crash');
      }
      return stateAfter(browsersWithinLimit, b.events).exiting.size;
    };
    expect(exitingAfter()).toBe(0);
    expect(exitingAfter('r1')).toBe(40);
  });
});
