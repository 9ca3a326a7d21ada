import { describe, expect, it } from 'vitest';
import { LEAK_SCHEMA, type LeakReport } from '../../heap/leak-report.ts';
import { driftViolation, history, sampleReport } from '../testing/fixtures.ts';
import { escapeHtml, jsonForScript } from './escape.ts';
import { type PageRun, renderComparePage, renderDemoPage, renderRunPage } from './page.ts';
import { seriesFromHistory } from './series.ts';

const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

function runOf(hostile: string): PageRun {
  const violation = { ...driftViolation(), message: `pool said ${hostile}`, session: `job ${hostile}`, at: `pool.ts:1 (${hostile})` };
  const report = sampleReport({ mismatches: 1, violations: [violation], error: `close failed: ${hostile}`, endReason: 'error' });
  const h = history();
  h.add('settle', 0, { counter: 0, sessions: [], locks: [] });
  h.add('browser.up', 10, { browser: hostile, memoryMB: 300 });
  const leaks: LeakReport = {
    schema: LEAK_SCHEMA,
    leakedObjects: 3,
    leakedBytes: 3000,
    poolRoots: ['LegacyBrowserService'],
    ms: 5,
    clusters: [
      { path: ['LegacyBrowserService', `#locks → ${hostile}`], count: 3, retainedBytes: 3000, objects: 3, largest: [], largestBytes: 0 },
    ],
  };
  return { report, series: seriesFromHistory(h.events), leaks };
}

/** Tags a page opens, by name: what the page is made of, whatever text it shows. */
function tags(html: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [, name] of html.matchAll(/<([a-z][a-z0-9]*)\b/gi)) counts[name!.toLowerCase()] = (counts[name!.toLowerCase()] ?? 0) + 1;
  return counts;
}

describe('escaping what the run says', () => {
  it('escapes markup and keeps JSON inside its script element', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const json = jsonForScript({ message: HOSTILE, line: 'a\u2028b' });
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({ message: HOSTILE, line: 'a\u2028b' });
  });

  it('a hostile error message, violation, session, call site and leak path stay text in report.html', () => {
    const hostile = renderRunPage(runOf(HOSTILE));
    const plain = renderRunPage(runOf('plain words'));
    // The same elements as a page whose run said nothing hostile: nothing the run said became markup.
    expect(tags(hostile)).toEqual(tags(plain));
    expect(hostile).not.toContain(HOSTILE);
    expect(hostile).toContain(`Error: close failed: ${escapeHtml(HOSTILE)}`);
    expect(hostile).toContain(`<summary>pool said ${escapeHtml(HOSTILE)}</summary>`);
    // The marker's hover text is data, handed to the script and set as a title, with the text as the run said it.
    const charts = JSON.parse(hostile.match(/id="tally-charts">(.*?)<\/script>/s)![1]!);
    expect(charts[0].violations[0].title).toContain(`pool said ${HOSTILE}`);
  });

  it('the compare page escapes both runs', () => {
    const page = renderComparePage(runOf(HOSTILE), runOf('plain words'));
    expect(page).not.toContain(HOSTILE);
    expect(tags(page)).toEqual(tags(renderComparePage(runOf('plain words'), runOf('plain words'))));
  });

  it("the demo's summary links each run's report.html, escaped, without a chart library", () => {
    const { report } = runOf('plain words');
    const page = renderDemoPage([
      { scenario: 'watchdog-timeout', runs: [{ label: 'legacy', href: `a"b/report.html`, report }], asExpected: true },
    ]);
    expect(page).toContain('<a href="a&quot;b/report.html">legacy</a>: fail (1 violations)');
    expect(page).not.toContain('<script');
  });
});
