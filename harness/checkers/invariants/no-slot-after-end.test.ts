import { describe, expect, it } from 'vitest';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { noSlotAfterEnd } from './no-slot-after-end.ts';

describe('no-slot-after-end', () => {
  it('fires when a waiter whose job already ended is handed a slot, at the call site that handed it, once', () => {
    const b = new HistoryBuilder();
    b.start();
    b.jobStart('j1');
    b.counter('j1', 1, 'acquire');
    b.jobStart('j2'); // waits: the pool is full
    b.jobEnd('j2', false); // the wait timed out
    b.counter('j1', -1, 'finally');
    const handed = b.counter('j2', 1, 'handoff', 'examples/pools/buggy/waiter-handed-slot-after-timeout.ts:40:7 (release)');
    b.jobWork('j2', 'b1');
    const [violation, ...rest] = violationsOf(noSlotAfterEnd, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'no-slot-after-end',
      message: 'j2 was handed a slot after its job ended',
      session: 'j2',
      seq: handed.seq,
      at: 'examples/pools/buggy/waiter-handed-slot-after-timeout.ts:40:7 (release)',
    });
  });

  it('fires when an ended job starts to work', () => {
    const b = new HistoryBuilder();
    b.jobStart('j3');
    b.jobEnd('j3', false);
    const work = b.jobWork('j3', 'b1');
    expect(violationsOf(noSlotAfterEnd, b.events)).toMatchObject([
      { message: 'j3 was handed a page to work on after its job ended', seq: work.seq },
    ]);
  });

  it('stays silent for slots given back, locks released and work before the end', () => {
    const b = new HistoryBuilder();
    b.jobStart('j1');
    b.counter('j1', 1, 'acquire');
    b.lock('j1', 'attach', 1);
    b.jobWork('j1', 'b1');
    b.jobWorkEnd('j1');
    b.jobEnd('j1');
    b.counter('j1', -1, 'late-close');
    b.lock('j1', 'release', 0);
    expect(violationsOf(noSlotAfterEnd, b.events)).toEqual([]);
  });
});
