import { randomBytes } from 'node:crypto';

/**
 * Every browser process a run starts carries these in its environment. Children inherit them, so
 * the operating system can be asked which processes belong to which run and browser, even after
 * the browser's main process is gone (but see run-processes.ts: Chromium's children overwrite
 * their copy, and are found through their process group).
 */
export const RUN_ENV = 'TALLY_RUN';
export const BROWSER_ENV = 'TALLY_BROWSER';

/** Run ids name files (the run registry) and environment values: nothing else is allowed. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Unique, short, safe in a file name: the time in base 36 and 6 random hex digits (`m3x1q0b2-9f3a1c`). */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** The environment a browser process of `runId` is launched with. */
export function markerEnv(runId: string, browserId: string): Record<string, string> {
  assertSafeId('run id', runId);
  assertSafeId('browser id', browserId);
  return { [RUN_ENV]: runId, [BROWSER_ENV]: browserId };
}

export function assertSafeId(what: string, id: string): void {
  if (!SAFE_ID.test(id)) throw new Error(`${what} ${JSON.stringify(id)} must be 1 to 64 letters, digits, '-' or '_'`);
}
