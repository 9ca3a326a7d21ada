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
  series: { label: string; stroke: string; values: (number | null)[]; stepped: boolean; scale: 'y' | 'heap' }[];
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
}

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
  const { state, memory } = series;
  const hasOs = state.osBrowsers.some((n) => n !== null);
  const stateSeries: ChartSpec['series'] = [
    { label: 'pool counter', stroke: '#d62728', values: state.counter, stepped: true, scale: 'y' },
    { label: 'pool sessions', stroke: '#1f77b4', values: state.sessions, stepped: true, scale: 'y' },
    { label: 'browsers (driver)', stroke: '#2ca02c', values: state.browsers, stepped: true, scale: 'y' },
    ...(hasOs ? [{ label: 'browsers (OS)', stroke: '#9467bd', values: state.osBrowsers, stepped: true, scale: 'y' as const }] : []),
  ];
  const memorySeries: ChartSpec['series'] = [
    { label: 'driver MB', stroke: '#2ca02c', values: memory.driverMB, stepped: false, scale: 'y' },
    ...(memory.osMB.some((n) => n !== null)
      ? [{ label: 'OS PSS MB', stroke: '#9467bd', values: memory.osMB, stepped: false, scale: 'y' as const }]
      : []),
    ...(memory.heapMB.some((n) => n !== null)
      ? [{ label: 'heap after GC MB (right axis)', stroke: '#ff7f0e', values: memory.heapMB, stepped: false, scale: 'heap' as const }]
      : []),
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
  };
}

/** The memory chart's caption: the slopes the report judges by, fitted on the samples plotted. */
export function memoryCaption(report: RunReport): string {
  const f = report.figures;
  return `Fitted growth: ${formatRate(f.memoryGrowthMBPerHour)} MB/h (${f.memorySource}, ${f.memorySamples} samples); heap after GC ${formatRate(f.heapGrowthMBPerHour)} MB/h (${f.heapSamples} samples).`;
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
