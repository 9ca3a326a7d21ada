import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.ts';
import type { AnyEvent } from './events.ts';
import { readHistory, streamHistory } from './read-history.ts';

const events: AnyEvent[] = [
  { seq: 0, t: 0, wall: 0.1, kind: 'job.start', session: 'j1', data: { pages: 2 } },
  { seq: 1, t: 5, wall: 0.2, kind: 'pool.counter', session: 'j1', data: { delta: 1, value: 1, path: 'launch' }, at: 'pool.ts:1:1 (run)' },
  { seq: 2, t: 9, wall: 0.3, kind: 'settle', data: { counter: 1 } },
];

function historyFile(text: string): string {
  const path = join(tempDir('tally-history-'), 'history.ndjson');
  writeFileSync(path, text);
  return path;
}

const ndjson = events.map((event) => JSON.stringify(event)).join('\n');

async function collect(iterable: AsyncIterable<AnyEvent>): Promise<AnyEvent[]> {
  const all: AnyEvent[] = [];
  for await (const event of iterable) all.push(event);
  return all;
}

describe('readHistory', () => {
  it('reads every line, with or without a trailing newline', () => {
    expect(readHistory(historyFile(`${ndjson}\n`))).toEqual(events);
    expect(readHistory(historyFile(ndjson))).toEqual(events);
    expect(readHistory(historyFile(''))).toEqual([]);
  });

  it('names the file and line of a malformed line', () => {
    const lines = ndjson.split('\n');
    const path = historyFile(`${[lines[0], lines[1], '{"seq": 2, "t": 9, "kind"', lines[2]].join('\n')}\n`);
    expect(() => readHistory(path)).toThrow(`${path}:3: malformed history line`);
  });

  it('rejects a line that is JSON but not an event', () => {
    const path = historyFile(`${JSON.stringify(events[0])}\n[1, 2]\n`);
    expect(() => readHistory(path)).toThrow(`${path}:2: malformed history line: not a JSON object`);
    const noKind = historyFile(`{"seq": 0, "t": 0, "data": {}}\n`);
    expect(() => readHistory(noKind)).toThrow(`${noKind}:1: malformed history line: missing string "kind"`);
  });

  it('rejects a blank line before the end', () => {
    const path = historyFile(`${JSON.stringify(events[0])}\n\n${JSON.stringify(events[1])}\n`);
    expect(() => readHistory(path)).toThrow(`${path}:2: malformed history line: empty line`);
  });
});

describe('streamHistory', () => {
  it('streams the same events', async () => {
    expect(await collect(streamHistory(historyFile(`${ndjson}\n`)))).toEqual(events);
    expect(await collect(streamHistory(historyFile(`${ndjson}\r\n\n`)))).toEqual(events);
  });

  it('names the file and line of a malformed line', async () => {
    const lines = ndjson.split('\n');
    const path = historyFile([lines[0], 'not json', lines[2]].join('\n'));
    await expect(collect(streamHistory(path))).rejects.toThrow(`${path}:2: malformed history line`);
  });

  it('rejects a blank line before the end', async () => {
    const path = historyFile(`${JSON.stringify(events[0])}\n\n${JSON.stringify(events[1])}\n`);
    await expect(collect(streamHistory(path))).rejects.toThrow(`${path}:2: malformed history line: empty line`);
  });

  it('with onCutLine, leaves out a half-written last line (what a killed writer leaves) and says which', async () => {
    const text = `${ndjson}\n${JSON.stringify(events[0]).slice(0, 15)}`;
    const cut: number[] = [];
    expect(await collect(streamHistory(historyFile(text), { onCutLine: (line) => cut.push(line) }))).toEqual(events);
    expect(cut).toEqual([4]);
    const path = historyFile(text);
    await expect(collect(streamHistory(path))).rejects.toThrow(`${path}:4: malformed history line`);
    // Only the last line can be cut: a bad line before it is still a malformed file.
    const lines = ndjson.split('\n');
    const middle = historyFile([lines[0], 'not json', lines[2]].join('\n'));
    await expect(collect(streamHistory(middle, { onCutLine: () => {} }))).rejects.toThrow(`${middle}:2: malformed history line`);
  });
});
