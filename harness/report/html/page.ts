import type { LeakReport } from '../../heap/leak-report.ts';
import type { RunReport } from '../report-json.ts';
import { CHART_SCRIPT } from './chart-script.ts';
import { CHART_HEADINGS, type ChartSpec, chartCaption, type RunCharts, runCharts, shareAxes } from './chart-specs.ts';
import { escapeHtml as e, jsonForScript } from './escape.ts';
import {
  faultsTable,
  figuresTable,
  invariantsTable,
  leaksSection,
  profileSection,
  runSummary,
  runTitle,
  table,
  verdictBanner,
  violationsTable,
} from './sections.ts';
import type { RunSeries } from './series.ts';
import { chartAssets } from './uplot-assets.ts';

/** One run as the page shows it: its report, the series of its history, its leak analysis when it has one. */
export interface PageRun {
  report: RunReport;
  series: RunSeries;
  leaks?: LeakReport | undefined;
}

/** report.html: the verdict, the charts, the figures, the violations with their call sites, the leaks. */
export function renderRunPage(run: PageRun): string {
  const { report } = run;
  const charts = runCharts(report, run.series);
  const body = [
    `<h1>Tally report: ${e(runTitle(report))}</h1>`,
    `<p>${e(report.scenario.description)}</p>`,
    verdictBanner(report),
    runSummary(report),
    ...CHART_HEADINGS.map(([key, heading]) => `<h2>${heading}</h2>${chartBlock(charts[key], chartCaption(key, report))}`),
    '<h2>Figures</h2>',
    figuresTable([report], ['value']),
    '<h2>Invariants</h2>',
    invariantsTable([report], ['violations']),
    '<h2>Violations</h2>',
    violationsTable(report),
    '<h2>Fault windows</h2>',
    faultsTable(report),
    '<h2>Leak clusters</h2>',
    leaksSection(run.leaks),
    ...(report.profile ? ['<h2>Profile</h2>', profileSection(report.profile)] : []),
    '<h2>Replay</h2>',
    `<pre>${e(report.replay)}</pre>`,
  ];
  return document(
    `Tally report: ${runTitle(report)}`,
    body,
    CHART_HEADINGS.map(([key]) => charts[key]),
  );
}

/** The before/after page of `tally compare --html`: figures side by side, each chart before above after, on the same axes. */
export function renderComparePage(before: PageRun, after: PageRun): string {
  const runs = [before, after];
  const labels = [`before: ${runTitle(before.report)}`, `after: ${runTitle(after.report)}`];
  const charts: RunCharts[] = runs.map((run, i) => runCharts(run.report, run.series, i === 0 ? 'before-' : 'after-'));
  const [a, b] = charts as [RunCharts, RunCharts];
  for (const [key] of CHART_HEADINGS) shareAxes(a[key], b[key]);
  const reports = runs.map((run) => run.report);
  const body = [
    `<h1>Tally compare: ${e(labels[0]!)} → ${e(labels[1]!)}</h1>`,
    ...runs.map((run, i) => `<h3>${e(labels[i]!)}</h3>${verdictBanner(run.report)}${runSummary(run.report)}`),
    '<h2>Figures</h2>',
    figuresTable(reports, labels),
    '<h2>Invariants</h2>',
    invariantsTable(reports, labels),
    ...CHART_HEADINGS.flatMap(([key, heading]) => [
      `<h2>${heading}</h2>`,
      ...charts.map((c, i) => `<h3>${e(labels[i]!)}</h3>${chartBlock(c[key], chartCaption(key, reports[i]!))}`),
    ]),
    '<h2>Leak clusters</h2>',
    ...runs.map((run, i) => `<h3>${e(labels[i]!)}</h3>${leaksSection(run.leaks)}`),
    '<h2>Violations</h2>',
    ...runs.map((run, i) => `<h3>${e(labels[i]!)}</h3>${violationsTable(run.report, i === 0 ? 'before-' : 'after-')}`),
  ];
  return document(
    `Tally compare: ${labels.join(' → ')}`,
    body,
    charts.flatMap((c) => CHART_HEADINGS.map(([key]) => c[key])),
  );
}

/** One scenario of `tally demo`: its runs, each with the path of its report.html relative to the summary page. */
export interface DemoRow {
  scenario: string;
  runs: { label: string; href: string; report: RunReport }[];
  asExpected: boolean;
}

/** summary.html of `tally demo`: every scenario's before/after, each run linked to its report.html. */
export function renderDemoPage(rows: DemoRow[]): string {
  const cells = rows.map((row) => [
    e(row.scenario),
    row.runs
      .map(
        ({ label, href, report }) =>
          `<a href="${e(href)}">${e(label)}</a>: ${e(report.verdict.verdict)} (${report.violationsTotal} violations)`,
      )
      .join('<br>'),
    row.asExpected ? '<span class="ok">yes</span>' : '<span class="bad">NO</span>',
  ]);
  const body = [
    "<h1>Tally demo: the story's pool before and after the fix</h1>",
    '<p>Every scenario runs against the legacy pool (which must fail) and the fixed pool (which must pass). Each run links to its report.</p>',
    table(['scenario', 'runs', 'as expected'], cells),
  ];
  return document('Tally demo', body, []);
}

function chartBlock(chart: ChartSpec, caption: string): string {
  return `<figure><div class="chart" id="${e(chart.id)}"></div>${caption ? `<figcaption>${e(caption)}</figcaption>` : ''}</figure>`;
}

/** The whole file: uPlot, the charts' data and the script that draws them inlined, nothing fetched. */
function document(title: string, body: string[], charts: ChartSpec[]): string {
  const { script, style } = chartAssets();
  // A page without charts (the demo's summary) carries no chart library.
  const scripts =
    charts.length === 0
      ? ''
      : `<script type="application/json" id="tally-charts">${jsonForScript(charts)}</script>
<script>${script}</script>
<script>${CHART_SCRIPT}</script>
`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
${charts.length === 0 ? '' : `<style>${style}</style>\n`}<style>${PAGE_STYLE}</style>
</head>
<body>
${body.join('\n')}
${scripts}</body>
</html>
`;
}

const PAGE_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1100px; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
pre { background: #f7f7f7; padding: 0.5em; overflow-x: auto; font-size: 12px; }
code { font-size: 12px; }
.verdict { font-size: 1.2em; padding: 0.5em 0.8em; border-radius: 4px; }
.verdict-pass { background: #e3f6e3; }
.verdict-fail { background: #fde2e2; }
.verdict-undecided { background: #fff3cd; }
.error, .bad { color: #b00020; }
.chart { position: relative; min-height: 300px; }
figure { margin: 0 0 1em; }
figcaption { color: #555; font-size: 12px; }
.violation-marker { position: absolute; top: -6px; width: 12px; height: 12px; margin-left: -6px; padding: 0; border: 0;
  background: #d62728; clip-path: polygon(0 0, 100% 0, 50% 100%); cursor: pointer; z-index: 10; }
tr.selected { outline: 2px solid #d62728; }
`;
