import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { BROWSER_ENV, RUN_ENV } from './browser-marker.ts';

/**
 * Small synchronous readers of Linux's /proc. A process can exit between being listed and being
 * read, and another user's process may be unreadable: every reader returns undefined then, never
 * throws, so a scan simply skips it.
 */

/** The fields of /proc/PID/stat that tell who a process belongs to and whether it is alive. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** Process group: a launched browser leads its own, and its children stay in it. */
  pgid: number;
  /** `R` running, `S` sleeping, `T` stopped, `Z` zombie, ... */
  state: string;
  /** Clock ticks after boot at which it started: with the pid, it tells a reused pid apart. */
  startTime: number;
  /** CPU time it has used, user and system, in clock ticks (USER_HZ: 100 a second on Linux). */
  cpuTicks: number;
}

/** Every pid in /proc, in no particular order. */
export function listPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const code = name.charCodeAt(0);
    if (code >= 48 && code <= 57) pids.push(Number(name));
  }
  return pids;
}

export function readStat(pid: number): ProcStat | undefined {
  const bytes = readProcFile(`/proc/${pid}/stat`);
  return bytes === undefined ? undefined : parseStat(bytes.toString('latin1'));
}

/**
 * `pid (comm) state ppid pgrp session ... starttime ...`. The command name may hold spaces and
 * parentheses (`(sd-pam)`, `(a) b)`), so the fields are counted from the last `)`.
 */
export function parseStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number.parseInt(text, 10);
  // After `) `: state is field 3 of stat(5), so field n is at index n - 3.
  const fields = text.slice(close + 2).split(' ');
  const state = fields[0];
  const ppid = Number(fields[1]);
  const pgid = Number(fields[2]);
  const startTime = Number(fields[19]);
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  if (!state || !Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isInteger(pgid) || !Number.isFinite(startTime))
    return undefined;
  return { pid, ppid, pgid, state, startTime, cpuTicks };
}

/** A zombie (or a dead task) holds no memory and runs nothing: only its parent's wait() is missing. */
export function isGone(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/** The run and browser a process was started for, from its environment. */
export interface RunMarker {
  run: string;
  browser: string | undefined;
}

const RUN_KEY = Buffer.from(`${RUN_ENV}=`);
const BROWSER_KEY = Buffer.from(`${BROWSER_ENV}=`);

export function readRunMarker(pid: number): RunMarker | undefined {
  const environ = readProcFile(`/proc/${pid}/environ`);
  return environ === undefined ? undefined : parseRunMarker(environ);
}

/** `environ` is NUL-separated `KEY=value` entries; searching the bytes avoids decoding it all. */
export function parseRunMarker(environ: Buffer): RunMarker | undefined {
  const run = envValue(environ, RUN_KEY);
  if (run === undefined) return undefined;
  return { run, browser: envValue(environ, BROWSER_KEY) };
}

function envValue(environ: Buffer, key: Buffer): string | undefined {
  let at = environ.indexOf(key);
  // Only a match at the start of an entry: `XTALLY_RUN=` is another variable.
  while (at > 0 && environ[at - 1] !== 0) at = environ.indexOf(key, at + 1);
  if (at < 0) return undefined;
  const start = at + key.length;
  const end = environ.indexOf(0, start);
  return environ.toString('utf8', start, end < 0 ? environ.length : end);
}

/** Proportional set size in KB: shared pages divided among the processes sharing them. */
export function readPssKB(pid: number): number | undefined {
  const bytes = readProcFile(`/proc/${pid}/smaps_rollup`);
  if (bytes === undefined) return undefined;
  const match = /^Pss:\s+(\d+) kB$/m.exec(bytes.toString('latin1'));
  return match ? Number(match[1]) : undefined;
}

/** The command line's arguments; a renderer, a GPU process or a content process says so in it. */
export function readCmdline(pid: number): string[] {
  const bytes = readProcFile(`/proc/${pid}/cmdline`);
  if (bytes === undefined || bytes.length === 0) return [];
  return bytes
    .toString('utf8')
    .split('\0')
    .filter((arg) => arg.length > 0);
}

/** Grows when a file does not fit (a long environment); /proc files report no size to allocate by. */
let shared = Buffer.allocUnsafe(16 * 1024);

/**
 * The whole file, read into one reused buffer: a scan reads two files of every process on the
 * machine, and readFileSync's stat and fresh buffer per file about double its cost. The returned
 * bytes are valid only until the next call.
 */
function readProcFile(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    let length = 0;
    for (;;) {
      if (length === shared.length) {
        const bigger = Buffer.allocUnsafe(shared.length * 2);
        shared.copy(bigger);
        shared = bigger;
      }
      const read = readSync(fd, shared, length, shared.length - length, null);
      if (read === 0) return shared.subarray(0, length);
      length += read;
    }
  } catch {
    // The process exited while its file was being read.
    return undefined;
  } finally {
    closeSync(fd);
  }
}
