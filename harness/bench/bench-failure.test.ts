import { describe, expect, it } from 'vitest';
import { BenchRunFailed, benchFailureLine } from './bench-failure.ts';

describe('benchFailureLine', () => {
  it('is one JSON line naming where the bench failed, the run, its first violations and its history', () => {
    const violations = ['a', 'b', 'c', 'd'].map((id) => `counter-matches-processes: counter(6) < browsers with processes(7) ${id}`);
    const line = benchFailureLine(
      'browsers',
      { concurrency: 8, repetition: 2 },
      new BenchRunFailed('done', violations, '/tmp/tally-bench-x/history.ndjson'),
      { byConcurrency: { 2: { overheadPercent: 3 } } },
    );
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      bench: 'browsers',
      failed: {
        concurrency: 8,
        repetition: 2,
        error: 'harness run did not pass: done, 4 violations',
        endReason: 'done',
        violations: violations.slice(0, 3),
        history: '/tmp/tally-bench-x/history.ndjson',
      },
      byConcurrency: { 2: { overheadPercent: 3 } },
    });
  });

  it('carries any other error by its message', () => {
    expect(JSON.parse(benchFailureLine('browsers', { step: 'pss' }, new Error('launch failed'), {}))).toEqual({
      bench: 'browsers',
      failed: { step: 'pss', error: 'launch failed' },
    });
  });
});
