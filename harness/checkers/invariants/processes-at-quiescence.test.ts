import { describe, expect, it } from 'vitest';
import type { EventData, OsBrowserTree, OsSampleReason } from '../../history/events.ts';
import { HistoryBuilder, violationsOf } from '../testing/history-builder.ts';
import { processesAtQuiescence } from './processes-at-quiescence.ts';

function sample(browsers: OsBrowserTree[], reason: OsSampleReason): EventData['os.sample'] {
  const processes = browsers.reduce((n, tree) => n + tree.pids.length, 0);
  const pssMB = browsers.reduce((mb, tree) => mb + tree.pssMB, 0);
  return { browsers, processes, pssMB, reason };
}

describe('processes-at-quiescence', () => {
  it('lists every browser with processes left: one never closed, one whose children outlived its main process', () => {
    const b = new HistoryBuilder();
    b.up('b1');
    b.up('b2');
    b.close('b2');
    b.closed('b2');
    const quietSample = b.emit(
      'os.sample',
      sample(
        [
          { browser: 'b1', mainPid: 4121, pids: [4121, 4130, 4133], pssMB: 212.5 },
          { browser: 'b2', pids: [4200, 4201], pssMB: 40 },
        ],
        'quiescent',
      ),
    );
    b.quiescent();
    const [violation, ...rest] = violationsOf(processesAtQuiescence, b.events);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      invariant: 'processes-at-quiescence',
      message:
        'after close: 5 processes of 2 browsers remain (252.5 MB PSS): b1 (never closed, main 4121, 3 processes, 212.5 MB), b2 (main gone, 2 processes, 40 MB)',
      values: {
        browsers: 2,
        browserIds: ['b1', 'b2'],
        processes: 5,
        pssMB: 252.5,
        pids: ['b1: 4121 4130 4133', 'b2: 4200 4201'],
        neverClosed: ['b1'],
        orphaned: ['b2'],
      },
      seq: quietSample.seq,
    });
  });

  it('holds when nothing is left', () => {
    const b = new HistoryBuilder();
    b.up('b1');
    b.close('b1');
    b.closed('b1');
    b.emit('os.sample', sample([], 'quiescent'));
    b.quiescent();
    expect(violationsOf(processesAtQuiescence, b.events)).toEqual([]);
  });

  it('looks only at the quiescent sample: processes during the run are expected', () => {
    const b = new HistoryBuilder();
    b.up('b1');
    b.emit('os.sample', sample([{ browser: 'b1', mainPid: 10, pids: [10, 11], pssMB: 90 }], 'interval'));
    b.emit('os.sample', sample([{ browser: 'b1', mainPid: 10, pids: [10, 11], pssMB: 90 }], 'browser'));
    expect(violationsOf(processesAtQuiescence, b.events)).toEqual([]);
  });
});
