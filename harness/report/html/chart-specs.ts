import type { Violation } from '../../checkers/violation.ts';
import type { FaultWindow } from '../figures.ts';
import { formatRate, formatVirtualTime } from '../format.ts';
import type { RunReport } from '../report-json.ts';
import type { RunSeries } from './series.ts';

/** One chart as the page's script draws it: everything in it is data, none of it markup. */
export interface ChartSpec {
  /** Id of the element the chart is drawn into. */
  id: string;
  /** Scenario seconds. */
  x: number[];
  /** `step`: a state held until it changes; `line`: samples joined; `points`: one dot per value (a job's latency). */
  series: { label: string; stroke: string; values: (number | null)[]; style: 'step' | 'line' | 'points'; scale: 'y' | 'heap' }[];
  /** Axis ranges: shared by the charts of a comparison, so before and after read on the same axes. */
  xMax: number;
  yMax: number;
  heapMax: number | null;
  yLabel: string;
  faults: { from: number; to: number; label: string }[];
  /** A marker per instant with violations: its time, its hover text, the ids of its violations' rows in the violations table. */
  violations: { x: number; title: string; rows: string[] }[];
}

export interface RunCharts {
  state: ChartSpec;
  memory: ChartSpec;
  storm: ChartSpec;
  latency: ChartSpec;
}

/** The charts of a run in the order a page shows them, with their headings. */
export const CHART_HEADINGS: [keyof RunCharts, string][] = [
  ['state', 'Counter, sessions and browsers'],
  ['memory', 'Memory'],
  ['storm', 'Closes and watchdog fires per second'],
  ['latency', 'Job latency'],
];

/** Id of a violation's row in the violations table (`prefix` tells the runs of a comparison apart). */
export function violationRowId(prefix: string, index: number): string {
  return `${prefix}violation-${index + 1}`;
}

/** The charts of one run; `prefix` keeps element ids apart when a page shows two runs. */
export function runCharts(report: RunReport, series: RunSeries, prefix = ''): RunCharts {
  const seconds = (ms: number): number => ms / 1000;
  const xMax = seconds(Math.max(series.endMs, report.figures.virtualMs));
  const faults = report.figures.faultWindows.map((w) => ({ from: seconds(w.fromMs), to: seconds(w.toMs), label: faultLabel(w) }));
  const violations = markers(report.violations, prefix);
  const { state, memory, storm, jobs } = series;
  const hasOs = hasValues(state.osBrowsers);
  const stateSeries: ChartSpec['series'] = [
    { label: 'pool counter', stroke: '#d62728', values: state.counter, style: 'step', scale: 'y' },
    { label: 'pool sessions', stroke: '#1f77b4', values: state.sessions, style: 'step', scale: 'y' },
    { label: 'browsers (driver)', stroke: '#2ca02c', values: state.browsers, style: 'step', scale: 'y' },
    ...when(hasOs, { label: 'browsers (OS)', stroke: '#9467bd', values: state.osBrowsers, style: 'step', scale: 'y' }),
  ];
  const memorySeries: ChartSpec['series'] = [
    { label: 'driver MB', stroke: '#2ca02c', values: memory.driverMB, style: 'line', scale: 'y' },
    ...when(hasValues(memory.osMB), { label: 'OS PSS MB', stroke: '#9467bd', values: memory.osMB, style: 'line', scale: 'y' }),
    ...when(hasValues(memory.heapMB), {
      label: 'heap after GC MB (right axis)',
      stroke: '#ff7f0e',
      values: memory.heapMB,
      style: 'line',
      scale: 'heap',
    }),
  ];
  return {
    state: {
      id: `${prefix}chart-state`,
      x: state.t.map(seconds),
      series: stateSeries,
      xMax,
      yMax: rangeMax(stateSeries, 'y'),
      heapMax: null,
      yLabel: 'count',
      faults,
      violations,
    },
    memory: {
      id: `${prefix}chart-memory`,
      x: memory.t.map(seconds),
      series: memorySeries,
      xMax,
      yMax: rangeMax(memorySeries, 'y'),
      heapMax: memorySeries.some((s) => s.scale === 'heap') ? rangeMax(memorySeries, 'heap') : null,
      yLabel: 'MB',
      faults,
      violations: [],
    },
    storm: plain(`${prefix}chart-storm`, storm.t, xMax, faults, 'per second', [
      {
        label: storm.spanS > 1 ? `browser closes / s (peak in ${storm.spanS} s)` : 'browser closes / s',
        stroke: '#8c564b',
        values: storm.closes,
        style: 'step',
        scale: 'y',
      },
      {
        label: storm.spanS > 1 ? `watchdog fires / s (peak in ${storm.spanS} s)` : 'watchdog fires / s',
        stroke: '#e377c2',
        values: storm.watchdogs,
        style: 'step',
        scale: 'y',
      },
    ]),
    latency: plain(`${prefix}chart-latency`, jobs.t, xMax, faults, 'seconds', [
      { label: 'job ok (s)', stroke: '#2ca02c', values: jobs.okMs.map(toSeconds), style: 'points', scale: 'y' },
      { label: 'job failed (s)', stroke: '#d62728', values: jobs.failedMs.map(toSeconds), style: 'points', scale: 'y' },
    ]),
  };
}

type Series = ChartSpec['series'][number];

/** A series only where the run has it (the OS is sampled on real drivers only). */
function when(present: boolean, series: Series): Series[] {
  return present ? [series] : [];
}

function hasValues(values: readonly (number | null)[]): boolean {
  return values.some((v) => v !== null);
}

function toSeconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

/** A chart on one axis, without violation markers. */
function plain(
  id: string,
  tMs: number[],
  xMax: number,
  faults: ChartSpec['faults'],
  yLabel: string,
  series: ChartSpec['series'],
): ChartSpec {
  return {
    id,
    x: tMs.map(toSeconds) as number[],
    series,
    xMax,
    yMax: rangeMax(series, 'y'),
    heapMax: null,
    yLabel,
    faults,
    violations: [],
  };
}

/** What a chart's caption says: how to read it, and the figures the report judges by. */
export function chartCaption(chart: keyof RunCharts, report: RunReport): string {
  const f = report.figures;
  const at = (ms: number | null): string => (ms === null ? '' : ` at ${formatVirtualTime(ms)}`);
  switch (chart) {
    case 'state':
      return 'Fault windows shaded; a red line per violation, its marker above: hover for the violation, click for its row.';
    case 'memory':
      return `Fitted growth: ${formatRate(f.memoryGrowthMBPerHour)} MB/h (${f.memorySource}, ${f.memorySamples} samples); heap after GC ${formatRate(f.heapGrowthMBPerHour)} MB/h (${f.heapSamples} samples).`;
    case 'storm':
      return `Peak closes/s ${f.peakClosesPerSecond}${at(f.peakClosesAtMs)}; peak watchdog fires/s ${f.peakWatchdogsPerSecond}${at(f.peakWatchdogsAtMs)}.`;
    case 'latency':
      return `Each job's time in pool.run, at its end: ${f.jobs.ok} ok, ${f.jobs.failed} failed of ${f.jobs.started} started.`;
  }
}

/** Gives two runs' charts the same axes, so that a comparison reads by eye. */
export function shareAxes(a: ChartSpec, b: ChartSpec): void {
  const xMax = Math.max(a.xMax, b.xMax);
  const yMax = Math.max(a.yMax, b.yMax);
  const heapMax = a.heapMax === null && b.heapMax === null ? null : Math.max(a.heapMax ?? 0, b.heapMax ?? 0);
  for (const chart of [a, b]) Object.assign(chart, { xMax, yMax, heapMax });
}

/** Hover texts listed in one marker; the rest are counted. */
const TITLES_PER_MARKER = 4;

/**
 * One marker per instant: violations found at one event (a lock orphaned breaks three invariants
 * at once) would stack markers on one pixel, and only the top one could be hovered or clicked.
 */
function markers(violations: readonly Violation[], prefix: string): ChartSpec['violations'] {
  const byTime = new Map<number, { violation: Violation; row: string }[]>();
  violations.forEach((violation, i) => {
    const group = byTime.get(violation.t) ?? [];
    group.push({ violation, row: violationRowId(prefix, i) });
    byTime.set(violation.t, group);
  });
  return [...byTime].map(([t, group]) => {
    const titles = group.slice(0, TITLES_PER_MARKER).map(({ violation }) => violationTitle(violation));
    if (group.length > TITLES_PER_MARKER) titles.push(`and ${group.length - TITLES_PER_MARKER} more at this time`);
    return { x: t / 1000, title: titles.join('\n\n'), rows: group.map(({ row }) => row) };
  });
}

function faultLabel(w: FaultWindow): string {
  const span = w.toMs > w.fromMs ? `${formatVirtualTime(w.fromMs)} to ${formatVirtualTime(w.toMs)}` : `at ${formatVirtualTime(w.fromMs)}`;
  return `${w.fault} on ${w.target}, ${span}`;
}

/** What hovering a violation's marker shows: the message, the invariant, the session and the call site. */
function violationTitle(v: Violation): string {
  return [
    v.message,
    `invariant: ${v.invariant}`,
    `time: ${formatVirtualTime(v.t)} (event ${v.seq})`,
    `session: ${v.session ?? '-'}`,
    `at: ${v.at ?? '-'}`,
  ].join('\n');
}

/** The top of an axis: a tenth above the highest value, at least 1 so that an all-zero chart still has an axis. */
function rangeMax(series: ChartSpec['series'], scale: 'y' | 'heap'): number {
  let max = 0;
  for (const s of series) if (s.scale === scale) for (const v of s.values) if (v !== null && v > max) max = v;
  return Math.max(1, Math.ceil(max * 1.1));
}
