import { INVARIANT_NAMES, type Violation } from '../../checkers/violation.ts';
import { kb, type LeakReport } from '../../heap/leak-report.ts';
import { figureRows } from '../figure-rows.ts';
import { formatVirtualTime, missedFaultsLine } from '../format.ts';
import { formatValue, recentEvents } from '../markdown.ts';
import { readingNotes } from '../reading-notes.ts';
import type { ProfileOutcome, RunReport } from '../report-json.ts';
import { violationRowId } from './chart-specs.ts';
import { escapeHtml as e } from './escape.ts';

/** Pieces of report.html and the compare page, each from a report; every string from the run is escaped here. */

/** The verdict as report.md words it, coloured by what it means. */
export function verdictBanner(report: RunReport): string {
  const { verdict, code, why } = report.verdict;
  return `<p class="verdict verdict-${e(verdict)}"><strong>Verdict: ${e(verdict.toUpperCase())}</strong> (exit ${code}): ${e(why)}.</p>`;
}

export function runSummary(report: RunReport): string {
  const f = report.figures;
  const error = report.error === undefined ? '' : `<p class="error">Error: ${e(report.error)}</p>`;
  const notes = readingNotes(report)
    .map((note) => `<p class="note">${linkJaeger(e(note), report)}</p>`)
    .join('');
  return `<p>Ended: ${e(report.endReason)}; ${formatVirtualTime(f.virtualMs)} of scenario time in ${(f.wallMs / 1000).toFixed(1)} s of wall time, ${f.events} events. Started ${e(report.startedAt)}.</p>${error}${notes}`;
}

/** The trace's Jaeger address, in an escaped note, made a link (the only link out of the page, followed only when clicked). */
function linkJaeger(escapedNote: string, report: RunReport): string {
  const url = report.trace?.jaegerUrl;
  if (url === undefined || !/^https?:\/\//.test(url)) return escapedNote;
  return escapedNote.replace(e(url), `<a href="${e(url)}">${e(url)}</a>`);
}

export function runTitle(report: RunReport): string {
  return `${report.scenario.name} on ${report.pool} (driver ${report.driver}, seed ${report.seed})`;
}

/** A table; `cells` are already markup (escape what comes from the run before). */
export function table(headers: string[], rows: string[][], className = ''): string {
  const head = `<tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

/** The story's figures of one or more runs side by side: a column per run. */
export function figuresTable(reports: RunReport[], labels: string[]): string {
  const columns = reports.map(figureRows);
  const rows = (columns[0] ?? []).map(([name], i) => [e(name), ...columns.map((rows) => e(rows[i]?.[1] ?? '-'))]);
  return table(['figure', ...labels], rows);
}

export function invariantsTable(reports: RunReport[], labels: string[]): string {
  const rows = INVARIANT_NAMES.map((name) => [e(name), ...reports.map((r) => numberCell(r.invariants[name] ?? 0))]);
  return table(['invariant', ...labels], rows);
}

function numberCell(n: number): string {
  return `<span class="${n > 0 ? 'bad' : 'ok'}">${n}</span>`;
}

/**
 * The groups by invariant and call site first (the same bug seen many times reads once), then every
 * violation the report keeps, its call site, and a detail (values, recent events) a marker's click opens.
 */
export function violationsTable(report: RunReport, prefix = ''): string {
  if (report.violationsTotal === 0) return '<p>None.</p>';
  const groups = table(
    ['invariant', 'call site', 'violations', 'sessions', 'first'],
    report.violationGroups.map((g) => [
      e(g.invariant),
      `<code>${e(g.at ?? '-')}</code>`,
      String(g.count),
      String(g.sessions),
      `${formatVirtualTime(g.first.t)}: ${e(g.first.message)}`,
    ]),
    'violation-groups',
  );
  const rows = report.violations.map((v, i) => violationRow(v, violationRowId(prefix, i), i + 1));
  const more =
    report.violationsTotal > report.violations.length
      ? `<p>The first ${report.violations.length} of ${report.violationsTotal} are listed (report.json keeps the same).</p>`
      : '';
  return `${groups}${more}<table class="violations"><thead><tr><th>#</th><th>time</th><th>invariant</th><th>session</th><th>violation</th><th>call site</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function violationRow(v: Violation, id: string, number: number): string {
  const values = Object.entries(v.values)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(', ');
  const recent = v.recent.length > 0 ? `<pre>${e(recentEvents(v.recent).join('\n'))}</pre>` : '';
  const detail = `<details><summary>${e(v.message)}</summary><p>values: ${e(values || '-')} (event ${v.seq})</p>${recent}</details>`;
  return `<tr id="${e(id)}"><td>${number}</td><td>${formatVirtualTime(v.t)}</td><td>${e(v.invariant)}</td><td>${e(v.session ?? '-')}</td><td>${detail}</td><td><code>${e(v.at ?? '-')}</code></td></tr>`;
}

const SHOWN_FAULT_WINDOWS = 50;

export function faultsTable(report: RunReport): string {
  const { faultWindows, faultCount, faultsMissed } = report.figures;
  const missed = faultsMissed > 0 ? `<p>${e(missedFaultsLine(faultsMissed))}</p>` : '';
  if (faultCount === 0) return `${missed}<p>No fault began.</p>`;
  const shown = faultWindows.slice(0, SHOWN_FAULT_WINDOWS);
  const rows = shown.map((w) => [e(w.fault), e(w.target), formatVirtualTime(w.fromMs), formatVirtualTime(w.toMs)]);
  return `${missed}<p>The first ${shown.length} of ${faultCount}, shaded on the charts.</p>${table(['fault', 'target', 'from', 'to'], rows)}`;
}

/** The pool's leak clusters from leaks.json: what holds them (the retainer path) and what they cost. */
export function leaksSection(leaks: LeakReport | undefined): string {
  if (!leaks)
    return '<p>No leak analysis for this run (run it with <code>--heap-snapshots</code>, or <code>tally leaks</code> on its folder).</p>';
  const intro = `<p>${leaks.leakedObjects} objects retaining ${kb(leaks.leakedBytes)} held by the pool (${e(leaks.poolRoots.join(', ') || 'no pool found')}) or live browsers it let go of, in ${leaks.clusters.length} clusters.</p>`;
  if (leaks.clusters.length === 0) return `${intro}<p>No leak cluster.</p>`;
  const rows = leaks.clusters.map((c) => [
    String(c.count),
    kb(c.retainedBytes),
    String(c.objects),
    `<code>${e(c.path.join(' → '))}</code>${c.heldAt === 'target' ? ' (held so at the target snapshot; let go of by the closed pool, still live)' : ''}`,
    `<code>${e(c.largest.slice(c.path.length).join(' → ') || '-')}</code> (${kb(c.largestBytes)})`,
  ]);
  return `${intro}${table(['count', 'retained', 'objects', 'retainer path', 'largest leaked object'], rows)}`;
}

/** `tally load --profile`: a link to clinic's page in the run folder, or why there is none. */
export function profileSection(profile: ProfileOutcome): string {
  if (profile.html)
    return `<p>clinic ${e(profile.tool)} profiled the service under load: <a href="${e(encodeURI(profile.html))}">${e(profile.html)}</a></p>`;
  return `<p>No profile: ${e(profile.missing ?? 'clinic gave no page')}</p>`;
}
