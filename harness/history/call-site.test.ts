import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Caller, calling, first, second } from '../../test/fixtures/call-sites.ts';
import { captureCallSite } from './call-site.ts';

const FIXTURE = 'test/fixtures/call-sites.ts';
const source = readFileSync(FIXTURE, 'utf8').split('\n');

/** Where the fixture calls `captureCallSite` inside `fn`, read from its source text: line:column, from 1. */
function callIn(fn: string, call = 'captureCallSite()'): string {
  const start = source.findIndex((line) => line.includes(`${fn}(`));
  const offset = source.slice(start).findIndex((line) => line.includes(call));
  return `${start + offset + 1}:${source[start + offset]!.indexOf(call) + 1}`;
}

/** `depth` calls of this file's (harness/history: plumbing) before the call site is taken. */
function plumbing(depth: number): string | undefined {
  return depth === 0 ? captureCallSite() : plumbing(depth - 1);
}

describe('captureCallSite', () => {
  it("names the source's file:line:column and function of the first frame outside the plumbing", () => {
    expect(first()).toBe(`${FIXTURE}:${callIn('first')} (first)`);
    expect(second()).toBe(`${FIXTURE}:${callIn('second')} (second)`);
    expect(new Caller().method()).toBe(`${FIXTURE}:${callIn('method')} (Caller.method)`);
  });

  it('gives the same answer every time a position calls, and tells positions apart', () => {
    const seen = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? first() : second()));
    expect(new Set(seen.filter((_, i) => i % 2 === 0))).toEqual(new Set([`${FIXTURE}:${callIn('first')} (first)`]));
    expect(new Set(seen.filter((_, i) => i % 2 === 1))).toEqual(new Set([`${FIXTURE}:${callIn('second')} (second)`]));
  });

  it('finds the frame however many frames of plumbing lie above it', () => {
    for (const depth of [0, 3, 4, 5, 6, 12])
      expect(calling(() => plumbing(depth))).toBe(`${FIXTURE}:${callIn('calling', 'plumbing()')} (calling)`);
  });

  it('is undefined when every frame is plumbing', () => {
    // Called from this file (harness/history) by vitest (node_modules): nothing but plumbing.
    expect(captureCallSite()).toBeUndefined();
  });
});
