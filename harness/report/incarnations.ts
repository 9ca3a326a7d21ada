import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { streamHistory } from '../history/read-history.ts';
import { type HistoryJudgement, judgeHistory } from './judge-history.ts';
import type { Verdict } from './verdict.ts';

/** The record `tally load --memory-limit` keeps beside its incarnations: how each service process ended. */
export const INCARNATIONS_FILE = 'incarnations.json';

/** One service process of a supervised run: its own run folder (relative), and how it ended. */
export interface Incarnation {
  folder: string;
  /** stopped: by the supervisor at the end of the load; oom: V8 ran out of heap; died: any other death. */
  end: 'stopped' | 'oom' | 'died';
  exit: { code: number | null; signal: string | null };
  /** Wall-clock ms from its start to its exit. */
  livedMs: number;
}

export interface IncarnationsRecord {
  memoryLimitMB: number;
  incarnations: Incarnation[];
}

export interface WholeJudgement {
  verdict: Verdict;
  oomDeaths: number;
  deaths: number;
  restarts: number;
  /** Each incarnation's own judgement, from its history. */
  parts: { incarnation: Incarnation; judged: HistoryJudgement }[];
}

export function readIncarnations(runDir: string): IncarnationsRecord | undefined {
  const path = join(runDir, INCARNATIONS_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as IncarnationsRecord) : undefined;
}

/**
 * A supervised run judged whole, from its incarnations' histories (what `tally load` reports and
 * `tally check` says again): a violation in any incarnation fails it; so does any death, since a
 * service that dies under its memory limit is the failure the limit is there to show; else it is
 * what its last incarnation was. Each history is judged alone: a restart is a new pool.
 */
export async function judgeIncarnations(runDir: string, record: IncarnationsRecord): Promise<WholeJudgement> {
  const parts: WholeJudgement['parts'] = [];
  for (const incarnation of record.incarnations) {
    const path = join(runDir, incarnation.folder, 'history.ndjson');
    const judged = await judgeHistory(existsSync(path) ? streamHistory(path, { onCutLine: () => {} }) : noEvents());
    parts.push({ incarnation, judged });
  }
  const deaths = record.incarnations.filter((incarnation) => incarnation.end !== 'stopped').length;
  const oomDeaths = record.incarnations.filter((incarnation) => incarnation.end === 'oom').length;
  const restarts = Math.max(0, record.incarnations.length - 1);
  return { verdict: wholeVerdict(parts, deaths, oomDeaths, record.memoryLimitMB), oomDeaths, deaths, restarts, parts };
}

function wholeVerdict(parts: WholeJudgement['parts'], deaths: number, oomDeaths: number, limitMB: number): Verdict {
  const failed = parts.filter((part) => part.judged.verdict.code === 1);
  if (failed.length > 0) {
    const where = failed.map((part) => `${part.incarnation.folder} ${violationsOf(part.judged)}`).join(', ');
    return { code: 1, verdict: 'fail', why: `violations found: ${where}${deaths > 0 ? `; ${diedLine(deaths, oomDeaths, limitMB)}` : ''}` };
  }
  if (deaths > 0) return { code: 1, verdict: 'fail', why: diedLine(deaths, oomDeaths, limitMB) };
  const last = parts.at(-1);
  return last?.judged.verdict ?? { code: 2, verdict: 'unknown', why: 'no incarnation of the service ran' };
}

function violationsOf(judged: HistoryJudgement): string {
  const count = judged.violations.length + judged.overBudget.length;
  return `${count} violation${count === 1 ? '' : 's'}${judged.ending === 'cut' ? ' (until it died)' : ''}`;
}

function diedLine(deaths: number, oomDeaths: number, limitMB: number): string {
  return `the service died ${deaths} time${deaths === 1 ? '' : 's'} (${oomDeaths} out of memory under a ${limitMB} MB heap limit)`;
}

async function* noEvents(): AsyncGenerator<never> {}
