/**
 * The call site of the code that caused an event: the first stack frame outside the harness's
 * own plumbing. This is the "which path did it" the story's log line lacked. The workload is
 * plumbing too: where a job's work runs, the line that matters is the pool's that called it.
 */
const PLUMBING =
  /[\\/]harness[\\/](history|drivers|clock|runner|workload|pool[\\/]contract)[\\/]|node:internal|[\\/]node_modules[\\/]|^native /;
const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;
/** Frames looked at: the pool's frame is a few calls above the driver's. */
const FRAMES = 16;
/** Frames looked at first: taking a stack costs in proportion to its frames, and the pool's is nearly always among these. */
const FIRST_LOOK = 6;

/**
 * Call sites already worked out, by the frame that gave them and its caller (what Node's source
 * mapping of a frame reads). Formatting a source-mapped stack costs tens of microseconds, paid on
 * every recorded launch and close; the positions that record events are few and fixed, so each is
 * mapped once. Bounded by the code's call positions, not by the run's length.
 */
const known = new Map<string, string>();

export function captureCallSite(): string | undefined {
  let frames = structuredFrames(FIRST_LOOK);
  let index = firstOwnFrame(frames);
  // The frame's caller is part of its key: look deeper unless the first look saw both, or the whole stack.
  if (frames.length === FIRST_LOOK && (index === -1 || index === FIRST_LOOK - 1)) {
    frames = structuredFrames(FRAMES);
    index = firstOwnFrame(frames);
  }
  if (index === -1) return undefined;
  const key = `${frames[index]}\n${frames[index + 1] ?? ''}`;
  return known.get(key) ?? mappedCallSite(index, key);
}

function firstOwnFrame(frames: readonly NodeJS.CallSite[]): number {
  return frames.findIndex((frame) => {
    const file = frame.getFileName();
    return file !== undefined && file !== null && frame.getLineNumber() !== null && !PLUMBING.test(file);
  });
}

/**
 * The first `limit` frames above `captureCallSite` as V8's call sites (no formatting, no source
 * mapping): cheap to take and to read. A shorter look is the start of a longer one.
 */
function structuredFrames(limit: number): NodeJS.CallSite[] {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const { prepareStackTrace, stackTraceLimit } = Error;
  Error.prepareStackTrace = (_, frames) => frames;
  Error.stackTraceLimit = limit;
  try {
    Error.captureStackTrace(holder, captureCallSite);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * The call site as the source-mapped stack gives it (the file:line of the source, not of what
 * tsx made of it): the first frame outside the plumbing. It is kept for frame `index` when that
 * is the frame it came from, as it is wherever a source map maps a file onto itself.
 */
function mappedCallSite(index: number, key: string): string | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = FRAMES;
  Error.captureStackTrace(holder, captureCallSite);
  Error.stackTraceLimit = limit;
  // Line 0 is the error's own line; the frames follow, one a line, in the order of `structuredFrames`.
  const lines = holder.stack?.split('\n') ?? [];
  let found: { at: string; line: number } | undefined;
  for (let i = 1; i < lines.length && !found; i++) {
    const match = FRAME.exec(lines[i]!);
    if (!match) continue;
    const [, fn, file, line, col] = match;
    if (!file || PLUMBING.test(file)) continue;
    found = { at: `${relativeFile(file)}:${line}:${col}${fn ? ` (${fn.replace(/^async /, '')})` : ''}`, line: i };
  }
  if (found?.line === index + 1) known.set(key, found.at);
  return found?.at;
}

function relativeFile(file: string): string {
  const path = file.replace(/^file:\/\//, '');
  const cwd = `${process.cwd()}/`;
  return path.startsWith(cwd) ? path.slice(cwd.length) : path;
}
