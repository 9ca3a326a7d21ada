/**
 * How fast Ctrl-C ends a real run: `tally run watchdog-timeout --pool fixed --driver chromium` in
 * its own process, SIGINT once jobs are running, timed to the process's exit; and, from its
 * history, the time from `run.shutdown` to the last `browser.down` and from there to `run.end`.
 *
 *   npm run bench:interrupt -- [repetitions=3]
 *
 * Progress on stderr; the last line is one JSON object (also when a repetition fails).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInstalled, missingBrowserMessage } from '../drivers/playwright/installed-browsers.ts';
import { errorMessage } from '../errors.ts';
import { spread } from './stats.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const repetitions = Number(process.argv[2] ?? 3);

interface Repetition {
  code: number | null;
  sigintToExitMs: number;
  shutdownToLastBrowserDownMs: number | null;
  lastBrowserDownToEndMs: number | null;
}

function interruptOnce(out: string): Promise<Repetition> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/tally.js'), 'run', 'watchdog-timeout', '--pool', 'fixed', '--driver', 'chromium', '--out', out],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let sentAt: number | undefined;
    child.stderr.on('data', (chunk: Buffer) => {
      // Progress shows running jobs: interrupt once browsers are up and working.
      if (sentAt === undefined && /jobs [1-9]\d* \([1-9]\d* running\)/.test(chunk.toString())) {
        sentAt = performance.now();
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (sentAt === undefined) return reject(new Error(`the run ended (exit ${code}) before any job was running`));
      const sigintToExitMs = Math.round(performance.now() - sentAt);
      const events = readFileSync(join(out, 'history.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { kind: string; wall: number });
      const shutdown = events.find((event) => event.kind === 'run.shutdown');
      const lastDown = events.filter((event) => event.kind === 'browser.down').at(-1);
      const end = events.at(-1);
      resolve({
        code,
        sigintToExitMs,
        shutdownToLastBrowserDownMs: shutdown && lastDown ? Math.round(lastDown.wall - shutdown.wall) : null,
        lastBrowserDownToEndMs: lastDown && end?.kind === 'run.end' ? Math.round(end.wall - lastDown.wall) : null,
      });
    });
  });
}

const results: Repetition[] = [];
let failed: string | undefined;
if (!isInstalled('chromium')) failed = missingBrowserMessage('chromium');
for (let rep = 1; rep <= repetitions && failed === undefined; rep++) {
  const out = mkdtempSync(join(tmpdir(), 'tally-interrupt-bench-'));
  try {
    const result = await interruptOnce(join(out, 'run'));
    results.push(result);
    process.stderr.write(`rep ${rep}/${repetitions}: exit ${result.code} ${result.sigintToExitMs} ms after SIGINT\n`);
  } catch (error) {
    failed = `repetition ${rep}: ${errorMessage(error)}`;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
const exits = results.map((result) => result.sigintToExitMs);
console.log(
  JSON.stringify({
    bench: 'interrupt',
    node: process.version,
    repetitions: results.length,
    ...(exits.length > 0 ? { sigintToExitMs: spread(exits, 0) } : {}),
    runs: results,
    ...(failed === undefined ? {} : { failed }),
  }),
);
if (failed !== undefined) process.exitCode = 1;
