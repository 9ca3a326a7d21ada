/**
 * The call site of the code that caused an event: the first stack frame outside the harness's
 * own plumbing. This is the "which path did it" the story's log line lacked. The workload is
 * plumbing too: where a job's work runs, the line that matters is the pool's that called it.
 */
const PLUMBING =
  /[\\/]harness[\\/](history|drivers|clock|runner|workload|pool[\\/]contract)[\\/]|node:internal|[\\/]node_modules[\\/]|^native /;
const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

export function captureCallSite(): string | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 16;
  Error.captureStackTrace(holder, captureCallSite);
  Error.stackTraceLimit = limit;
  const lines = holder.stack?.split('\n') ?? [];
  for (let i = 1; i < lines.length; i++) {
    const match = FRAME.exec(lines[i]!);
    if (!match) continue;
    const [, fn, file, line, col] = match;
    if (!file || PLUMBING.test(file)) continue;
    return `${relativeFile(file)}:${line}:${col}${fn ? ` (${fn.replace(/^async /, '')})` : ''}`;
  }
  return undefined;
}

function relativeFile(file: string): string {
  const path = file.replace(/^file:\/\//, '');
  const cwd = `${process.cwd()}/`;
  return path.startsWith(cwd) ? path.slice(cwd.length) : path;
}
