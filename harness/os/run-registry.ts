import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSafeId } from './browser-marker.ts';
import { removeBrowserScratch } from './browser-scratch.ts';
import { isGone, readStat } from './proc.ts';
import { killRun } from './run-processes.ts';

/**
 * A record per running run, so that the next run can clean up after one that was SIGKILLed (and so
 * never closed its browsers). The record names the owner by pid and start time: a pid reused by
 * another process after the owner died does not pass for the owner.
 */
export const RUNS_DIR = join(tmpdir(), 'tally-runs');

export interface RunRecord {
  runId: string;
  pid: number;
  /** The owner's start time in clock ticks after boot (/proc/PID/stat). */
  startTime: number;
  startedAt: string;
  /** The run's browser scratch folder (browser-scratch.ts): removed with the processes when the owner is gone. */
  scratch?: string;
}

/** Write this process's record for `runId`. The returned function removes it (call it when the run is over). */
export function registerRun(runId: string, dir: string = RUNS_DIR, scratch?: string): () => void {
  assertSafeId('run id', runId);
  const self = readStat(process.pid);
  if (self === undefined) throw new Error(`cannot read /proc/${process.pid}/stat to register run ${runId}`);
  const record: RunRecord = {
    runId,
    pid: process.pid,
    startTime: self.startTime,
    startedAt: new Date().toISOString(),
    ...(scratch === undefined ? {} : { scratch }),
  };
  mkdirSync(dir, { recursive: true });
  const path = recordPath(dir, runId);
  // Written aside and renamed, so a reaper never reads half a record.
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(record));
  renameSync(partial, path);
  return () => rmSync(path, { force: true });
}

export interface ReapedRun {
  runId: string;
  killed: number;
}

/**
 * For every record whose owner is gone (dead, or its pid now another process's), SIGKILL every
 * process carrying its run id, remove its browser scratch folder and delete the record. Records of live runs are left alone, and so
 * are files that are not records.
 */
export function reapAbandonedRuns(dir: string = RUNS_DIR): ReapedRun[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const reaped: ReapedRun[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const path = join(dir, name);
    const record = readRecord(path);
    if (record === undefined || ownerAlive(record)) continue;
    reaped.push({ runId: record.runId, killed: killRun(record.runId) });
    if (typeof record.scratch === 'string') removeBrowserScratch(record.scratch);
    rmSync(path, { force: true });
  }
  return reaped;
}

export function ownerAlive(record: Pick<RunRecord, 'pid' | 'startTime'>): boolean {
  const stat = readStat(record.pid);
  return stat !== undefined && !isGone(stat.state) && stat.startTime === record.startTime;
}

function recordPath(dir: string, runId: string): string {
  return join(dir, `${runId}.json`);
}

function readRecord(path: string): RunRecord | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isRecord(value)) return undefined;
    assertSafeId('run id', value.runId);
    return value;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is RunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.runId === 'string' && Number.isInteger(r.pid) && Number.isInteger(r.startTime);
}
