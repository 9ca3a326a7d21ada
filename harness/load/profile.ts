import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.ts';
import type { ProfileOutcome } from '../report/report-json.ts';

/** clinic's tools that work on this Node; bubbleprof is left out: it hangs. */
export const PROFILE_TOOLS = ['doctor', 'flame', 'heapprofiler'] as const;
export type ProfileTool = (typeof PROFILE_TOOLS)[number];

/** `--profile`. */
export function parseProfile(text: string | undefined): ProfileTool | undefined {
  if (text === undefined) return undefined;
  if ((PROFILE_TOOLS as readonly string[]).includes(text)) return text as ProfileTool;
  const why = text === 'bubbleprof' ? ': clinic bubbleprof hangs on this Node' : '';
  throw new InputError(`--profile ${text}: expected one of ${PROFILE_TOOLS.join(', ')}${why}`);
}

/** clinic's command line: `TALLY_CLINIC` names another clinic (its `bin.js`) than the one installed with Tally. */
export function clinicBin(): string {
  return process.env.TALLY_CLINIC ?? createRequire(import.meta.url).resolve('clinic/bin.js');
}

/**
 * What clinic made of its run, from its output: the page it says it generated (relative to the run
 * folder), or why there is none (clinic's exit and the last error it printed).
 */
export function profileOutcome(
  tool: ProfileTool,
  runDir: string,
  exit: { code: number | null; signal: NodeJS.Signals | null },
  output: { stdout: string; stderr: string },
): ProfileOutcome {
  const generated = /^Generated HTML file is (file:\S+)/m.exec(output.stdout);
  if (exit.code === 0 && generated) return { tool, html: relative(runDir, fileURLToPath(generated[1]!)) };
  const how = exit.signal ? `was killed (${exit.signal})` : `exited with ${exit.code}`;
  return { tool, missing: `clinic ${tool} ${how}${generated ? '' : ' without a page'}: ${lastError(output.stderr)}` };
}

/** clinic prints an error as its stack; the line worth reading is the message, after the service's own lines. */
export function lastError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at '));
  return [...lines].reverse().find((line) => /error|cannot|not found|killed/i.test(line)) ?? lines.at(-1) ?? 'it printed nothing';
}
