import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NdjsonSink } from './ndjson-sink.ts';

const dir = mkdtempSync(join(tmpdir(), 'tally-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

/** Resolves once `check` holds, polling; rejects at the deadline. */
async function eventually(check: () => boolean, deadlineMs: number): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > deadlineMs) throw new Error(`not within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - started;
}

describe('NdjsonSink', () => {
  it('writes a small buffer on its timer, without close or a full buffer: a kill loses at most that interval', async () => {
    const path = join(dir, 'timer.ndjson');
    const sink = new NdjsonSink(path, { flushEveryMs: 50 });
    sink.write({ seq: 0 });
    sink.write({ seq: 1 });
    expect(lines(path)).toEqual([]);
    await eventually(() => lines(path).length === 2, 5_000);
    expect(lines(path).map((line) => JSON.parse(line))).toEqual([{ seq: 0 }, { seq: 1 }]);
    sink.close();
  });

  it('writes at once when asked (a violation) and when the buffer is full', () => {
    const path = join(dir, 'explicit.ndjson');
    const sink = new NdjsonSink(path, { flushBytes: 64, flushEveryMs: 60_000 });
    sink.write({ seq: 0 });
    expect(lines(path)).toHaveLength(0);
    sink.flush();
    expect(lines(path)).toHaveLength(1);
    for (let seq = 1; seq <= 10; seq++) sink.write({ seq, pad: 'x'.repeat(20) });
    expect(lines(path).length).toBeGreaterThan(1);
    sink.close();
    expect(lines(path)).toHaveLength(11);
  });

  it('keeps a write that fails on its timer (a full disk) for the next write, instead of an uncaught exception', async () => {
    const sink = new NdjsonSink('/dev/full', { flushEveryMs: 10 });
    let failed: unknown;
    sink.write({ seq: 0 });
    await eventually(() => {
      try {
        sink.write({ seq: 1 });
        return false;
      } catch (error) {
        failed = error;
        return true;
      }
    }, 5_000);
    expect((failed as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(() => sink.close()).toThrow(/ENOSPC/);
  });
});
