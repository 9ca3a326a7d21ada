import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { isGone, listPids, readCmdline, readStat } from '../harness/os/proc.ts';

export const ROOT = join(import.meta.dirname, '..');

const made: string[] = [];
// Each test file that uses temporary folders removes them when it is done.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'tally-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** The events of a run folder's history.ndjson, as written (`data` read field by field by the assertions). */
export function historyOf(folder: string): { kind: string; t: number; data: Record<string, unknown> }[] {
  return readFileSync(join(folder, 'history.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `tally <args>` as a real process, from the repository root unless `cwd` says otherwise; `env` adds to this process's environment. */
export function tally(
  args: string[],
  options: { onSpawn?: (child: ReturnType<typeof spawn>) => void; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/tally.js'), ...args], {
      cwd: options.cwd ?? ROOT,
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

/** Live processes whose command line names `text` (a run folder: the processes a run started carry it in theirs). */
export function processesNaming(text: string): number[] {
  return listPids().filter((pid) => {
    const stat = readStat(pid);
    return stat !== undefined && !isGone(stat.state) && readCmdline(pid).some((arg) => arg.includes(text));
  });
}
