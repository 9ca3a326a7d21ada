import { INVARIANT_NAMES, type Violation } from '../checkers/violation.ts';
import type { AnyEvent } from '../history/events.ts';
import { figureRows } from './figure-rows.ts';
import { formatNumber, formatVirtualTime, missedFaultsLine, pendingStrikesLine } from './format.ts';
import { readingNotes } from './reading-notes.ts';
import type { RunReport } from './report-json.ts';

/** Groups whose first violation is shown in full; the rest are in report.json. */
const SHOWN_GROUPS = 5;
const SHOWN_FAULT_WINDOWS = 20;

/** `report.md`: the run as a person reads it, from the verdict down to the events that led to the first violations. */
export function renderMarkdown(report: RunReport): string {
  return [
    ...header(report),
    ...invariantsSection(report),
    ...coverageSection(report),
    ...figuresSection(report),
    ...decrementsSection(report),
    ...violationsSection(report),
    ...faultsSection(report),
    ...replaySection(report),
  ].join('\n');
}

function header(report: RunReport): string[] {
  const { figures } = report;
  const lines = [
    `# Tally report: ${report.scenario.name} on ${report.pool} (driver ${report.driver}, seed ${report.seed})`,
    '',
    report.scenario.description,
    '',
    `**Verdict: ${report.verdict.verdict.toUpperCase()}** (exit ${report.verdict.code}): ${report.verdict.why}.`,
    '',
    `Ended: ${report.endReason}; ${formatVirtualTime(figures.virtualMs)} of virtual time in ${formatNumber(figures.wallMs / 1000)} s of wall time, ` +
      `${figures.events} events. Started ${report.startedAt}.`,
  ];
  if (report.error !== undefined) lines.push('', `Error: ${report.error}`);
  for (const note of readingNotes(report)) lines.push('', note);
  lines.push('');
  return lines;
}

function invariantsSection(report: RunReport): string[] {
  return [
    '## Invariants',
    '',
    ...table(
      ['invariant', 'violations'],
      INVARIANT_NAMES.map((name) => [name, String(report.invariants[name] ?? 0)]),
      ['left', 'right'],
    ),
    '',
  ];
}

/** What the run exercised against what its scenario asks: a gap without a violation makes it undecided. */
function coverageSection(report: RunReport): string[] {
  const { coverage, figures } = report;
  const rows = coverage.faults.map((fault, index) => {
    const seen = figures.faultEntries[index] ?? { struck: 0, missed: 0 };
    return [
      fault.kind,
      String(seen.struck),
      String(seen.missed),
      fault.minStrikes === undefined ? 'every one, at least 1' : String(fault.minStrikes),
    ];
  });
  const lines = ['## Coverage', ''];
  if (rows.length > 0)
    lines.push(...table(['fault', 'strikes', 'found no session', 'needed'], rows, ['left', 'right', 'right', 'left']), '');
  const pending = figures.faultEntries.reduce((sum, entry) => sum + entry.pending, 0);
  if (pending > 0) lines.push(`${pendingStrikesLine(pending)}.`, '');
  lines.push(`Jobs completed: ${figures.jobs.ok} of ${figures.jobs.started} (needed ${coverage.minJobsWorked}).`, '');
  lines.push(coverage.gaps.length === 0 ? 'The run exercised what its scenario says.' : `Not exercised: ${coverage.gaps.join('; ')}.`, '');
  return lines;
}

function figuresSection(report: RunReport): string[] {
  const rows = figureRows(report);
  const budgets = Object.entries(report.budgets).filter(([, value]) => value !== undefined);
  const lines = ['## Figures', '', ...table(['figure', 'value'], rows, ['left', 'left']), ''];
  if (budgets.length > 0)
    lines.push(`Budgets: ${budgets.map(([name, value]) => `${name} ${formatNumber(value ?? null)}`).join(', ')}.`, '');
  return lines;
}

/** More than one path decrementing the counter is how the story's counter drifted. */
function decrementsSection(report: RunReport): string[] {
  const paths = Object.entries(report.figures.decrementsByPath).sort((a, b) => b[1] - a[1]);
  if (paths.length === 0) return [];
  return [
    '## Counter decrements by path',
    '',
    ...table(
      ['path', 'decrements'],
      paths.map(([path, n]) => [path, String(n)]),
      ['left', 'right'],
    ),
    '',
  ];
}

/** One group per invariant and call site (the same bug seen many times reads once), each with its first violation in full. */
function violationsSection(report: RunReport): string[] {
  if (report.violationsTotal === 0) return ['## Violations', '', 'None.', ''];
  const groups = report.violationGroups;
  const lines = [
    `## Violations (${report.violationsTotal} in ${groups.length} group${groups.length === 1 ? '' : 's'} by invariant and call site)`,
    '',
    ...table(
      ['#', 'invariant', 'call site', 'violations', 'sessions', 'first at'],
      groups.map((g, i) => [String(i + 1), g.invariant, g.at ?? '-', String(g.count), String(g.sessions), formatVirtualTime(g.first.t)]),
      ['right', 'left', 'left', 'right', 'right', 'left'],
    ),
    '',
  ];
  const shown = groups.slice(0, SHOWN_GROUPS);
  for (const [i, group] of shown.entries()) lines.push(...violationBlock(group.first, i + 1, group.count));
  if (groups.length > shown.length)
    lines.push(`The first violation of each of the other ${groups.length - shown.length} groups is in report.json.`, '');
  return lines;
}

function violationBlock(v: Violation, number: number, groupSize: number): string[] {
  const lines = [
    `### ${number}. ${codeSpan(v.message)}${groupSize > 1 ? ` (first of ${groupSize})` : ''}`,
    '',
    `- invariant: ${v.invariant}`,
    `- virtual time: ${formatVirtualTime(v.t)} (event ${v.seq})`,
    `- session: ${v.session ?? '-'}`,
    `- at: ${v.at === undefined ? '-' : codeSpan(v.at)}`,
    `- values: ${
      Object.entries(v.values)
        .map(([key, value]) => `${key}=${formatValue(value)}`)
        .join(', ') || '-'
    }`,
    '',
  ];
  if (v.recent.length > 0) lines.push('Recent events:', '', ...codeBlock(recentEvents(v.recent)), '');
  return lines;
}

export function formatValue(value: Violation['values'][string]): string {
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  // Measured figures carry floating-point noise (5.000000000008517) that says nothing to a reader.
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.round(value * 1000) / 1000);
  return String(value);
}

/** One event per line, `seq t kind session data`, columns aligned. */
export function recentEvents(events: readonly AnyEvent[]): string[] {
  const seqWidth = Math.max(...events.map((e) => String(e.seq).length));
  const kindWidth = Math.max(...events.map((e) => e.kind.length));
  const sessionWidth = Math.max(...events.map((e) => (e.session ?? '-').length));
  return events.map((e) =>
    [
      String(e.seq).padStart(seqWidth),
      formatVirtualTime(e.t),
      e.kind.padEnd(kindWidth),
      (e.session ?? '-').padEnd(sessionWidth),
      JSON.stringify(e.data),
    ].join(' '),
  );
}

function faultsSection(report: RunReport): string[] {
  const { faultWindows, faultCount, faultsMissed } = report.figures;
  const missed = faultsMissed > 0 ? [missedFaultsLine(faultsMissed), ''] : [];
  if (faultCount === 0) return missed.length > 0 ? ['## Fault windows', '', ...missed] : [];
  const shown = faultWindows.slice(0, SHOWN_FAULT_WINDOWS);
  const rows = shown.map((w) => [w.fault, w.target, formatVirtualTime(w.fromMs), formatVirtualTime(w.toMs)]);
  return [
    `## Fault windows (first ${shown.length} of ${faultCount})`,
    '',
    ...missed,
    ...table(['fault', 'target', 'from', 'to'], rows, ['left', 'left', 'left', 'left']),
    '',
  ];
}

function replaySection(report: RunReport): string[] {
  return ['## Replay', '', ...codeBlock([report.replay]), ''];
}

type Align = 'left' | 'right';

/** A Markdown table padded so it also reads well as plain text. */
function table(headers: string[], rows: string[][], align: Align[]): string[] {
  const cells = [headers, ...rows].map((row) => row.map(escapeCell));
  const widths = headers.map((_, col) => Math.max(3, ...cells.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]): string =>
    `| ${widths.map((width, col) => (align[col] === 'right' ? (row[col] ?? '').padStart(width) : (row[col] ?? '').padEnd(width))).join(' | ')} |`;
  const rule = `| ${widths.map((width, col) => (align[col] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  const [head, ...body] = cells;
  return [line(head ?? []), rule, ...body.map(line)];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code, with a fence long enough for any backticks inside (messages may quote code). */
function codeSpan(text: string): string {
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  return fence.length > 1 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

function codeBlock(lines: string[]): string[] {
  const fence = '`'.repeat(Math.max(3, longestRun(lines.join('\n'), '`') + 1));
  return [fence, ...lines, fence];
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}
