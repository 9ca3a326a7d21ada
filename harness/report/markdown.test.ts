import { describe, expect, it } from 'vitest';
import { formatVirtualTime } from './format.ts';
import { renderMarkdown } from './markdown.ts';
import { sampleReport } from './testing/fixtures.ts';

describe('report.md', () => {
  it('formats virtual time as hh:mm:ss.mmm', () => {
    expect(formatVirtualTime(0)).toBe('00:00:00.000');
    expect(formatVirtualTime(300_010)).toBe('00:05:00.010');
    expect(formatVirtualTime(3 * 3_600_000 + 61_001)).toBe('03:01:01.001');
  });

  it('shows the verdict, the invariants, the figures, the violations grouped by call site and the replay', () => {
    const report = sampleReport({ mismatches: 7 });
    report.figures.decrementsByPath = { closeSession: 40, safeCloseSession: 47 };
    const md = renderMarkdown(report);
    expect(md).toContain('# Tally report: watchdog-storm on story (driver sim, seed 7)');
    expect(md).toContain('**Verdict: FAIL** (exit 1): 7 violations found.');
    expect(md).toMatch(/\| counter-matches-sessions +\| +7 \|/);
    expect(md).toMatch(/\| quiescence +\| +0 \|/);
    expect(md).toMatch(/\| counter mismatches \/ 30 min +\| 7\.0 \(7 in total, first at 00:05:00\.010\)/);
    expect(md).toMatch(/\| memory growth MB\/h +\| 5\.0 /);
    expect(md).toMatch(/\| jobs ok \/ failed +\| 1 \/ 0 \(1 started\)/);
    // Seven drifts from one call site are one bug: one group, its first violation in full.
    expect(md).toContain('## Violations (7 in 1 group by invariant and call site)');
    expect(md).toMatch(/\| +1 \| counter-matches-sessions \| pools\/story\.ts:88:5 \(closeSession\) \| +7 \| +1 \| 00:05:00\.010 \|/);
    expect(md.match(/^### \d\. /gm)).toHaveLength(1);
    expect(md).toContain('### 1. `counter(3) < sessions(4)` (first of 7)');
    expect(md).toContain('- invariant: counter-matches-sessions');
    expect(md).toContain('- virtual time: 00:05:00.010 (event 3)');
    expect(md).toContain('- session: job-7');
    expect(md).toContain('- at: `pools/story.ts:88:5 (closeSession)`');
    expect(md).toContain('- values: counter=3, sessions=4, ids=[job-7, job-8]');
    expect(md).toContain('3 00:05:00.010 pool.counter  job-7 {"delta":-1,"value":3,"path":"closeSession"}');
    expect(md).toMatch(
      /## Counter decrements by path\n\n\| path +\| decrements \|\n\| -+ \| -+: \|\n\| safeCloseSession \| +47 \|\n\| closeSession +\| +40 \|/,
    );
    expect(md).toContain('tally run scenarios/watchdog-storm.ts --pool story --driver sim --seed 7');
    expect(md).not.toMatch(/\p{Extended_Pictographic}/u);
  });

  it('says so when nothing broke, and lists fault windows', () => {
    const report = sampleReport();
    report.figures.faultWindows = [{ fault: 'hang', target: 'b4', fromMs: 61_000, toMs: 66_000 }];
    report.figures.faultCount = 30;
    const md = renderMarkdown(report);
    expect(md).toContain('**Verdict: PASS** (exit 0)');
    expect(md).toContain('## Violations\n\nNone.');
    expect(md).toContain('## Fault windows (first 1 of 30)');
    expect(renderMarkdown(sampleReport({ growthMBPerHour: 100, budgets: { memoryGrowthMBPerHour: 50 } }))).toContain(
      '- values: figure=memoryGrowthMBPerHour, measured=100, budget=50, samples=31',
    );
    expect(md).toMatch(/\| hang +\| b4 +\| 00:01:01\.000 \| 00:01:06\.000 \|/);
  });
});
