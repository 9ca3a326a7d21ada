import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AnyEvent } from './events.ts';

/** Read a whole `history.ndjson` into memory. Throws naming the file and line of a malformed line. */
export function readHistory(path: string): AnyEvent[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const last = lastNonEmptyLine(lines);
  const events: AnyEvent[] = [];
  for (let i = 0; i <= last; i++) events.push(parseHistoryLine(lines[i]!, path, i + 1));
  return events;
}

/**
 * Read a `history.ndjson` one line at a time, for histories too large to hold at once. Blank lines
 * are accepted only at the end of the file, as in `readHistory`. With `onCutLine`, a malformed last
 * line is taken for what a killed writer leaves (half a line) and handed to it instead of thrown.
 */
export async function* streamHistory(path: string, options: { onCutLine?: (lineNumber: number) => void } = {}): AsyncIterable<AnyEvent> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  // A blank line is an error only if an event follows it, which is not known until then.
  let firstBlank: number | undefined;
  // Each line is parsed once the next one is read: only then is it known not to be the last.
  let held: { line: string; lineNumber: number } | undefined;
  for await (const line of lines) {
    lineNumber++;
    if (isBlank(line)) {
      firstBlank ??= lineNumber;
      continue;
    }
    if (firstBlank !== undefined) throw malformed(path, firstBlank, 'empty line');
    if (held) yield parseHistoryLine(held.line, path, held.lineNumber);
    held = { line, lineNumber };
  }
  if (!held) return;
  let last: AnyEvent;
  try {
    last = parseHistoryLine(held.line, path, held.lineNumber);
  } catch (error) {
    if (!options.onCutLine) throw error;
    return options.onCutLine(held.lineNumber);
  }
  yield last;
}

export function parseHistoryLine(line: string, path: string, lineNumber: number): AnyEvent {
  if (isBlank(line)) throw malformed(path, lineNumber, 'empty line');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw malformed(path, lineNumber, (error as Error).message);
  }
  const problem = shapeProblem(value);
  if (problem !== undefined) throw malformed(path, lineNumber, problem);
  return value as AnyEvent;
}

/** Only what every reader relies on is checked; the payload of each kind is trusted. */
function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const event = value as Record<string, unknown>;
  if (typeof event.seq !== 'number') return 'missing numeric "seq"';
  if (typeof event.t !== 'number') return 'missing numeric "t"';
  if (typeof event.kind !== 'string') return 'missing string "kind"';
  if (typeof event.data !== 'object' || event.data === null) return 'missing object "data"';
  if (event.session !== undefined && typeof event.session !== 'string') return '"session" is not a string';
  return undefined;
}

function malformed(path: string, lineNumber: number, reason: string): Error {
  return new Error(`${path}:${lineNumber}: malformed history line: ${reason}`);
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function lastNonEmptyLine(lines: readonly string[]): number {
  let last = lines.length - 1;
  while (last >= 0 && isBlank(lines[last]!)) last--;
  return last;
}
