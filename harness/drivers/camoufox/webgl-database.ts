import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * Whether camoufox-js can read its WebGL fingerprint database in this Node. It reads it through
 * better-sqlite3, whose prebuilt native module targets Node >= 22: on Node 20 it loads, then
 * crashes the whole process (SIGSEGV) at the first query, which no try/catch can stop. So the
 * query runs once in a throwaway child process, and the answer is kept for the process's life.
 */
export interface WebglDatabaseProbe {
  usable: boolean;
  /** Why not, when it is not. */
  reason?: string;
}

const PROBE_TIMEOUT_MS = 10_000;
let cached: Promise<WebglDatabaseProbe> | undefined;

export function probeWebglDatabase(): Promise<WebglDatabaseProbe> {
  cached ??= runProbe();
  return cached;
}

async function runProbe(): Promise<WebglDatabaseProbe> {
  let sqlitePath: string;
  try {
    // better-sqlite3 as camoufox-js resolves it, not as this project would.
    const fromCamoufox = createRequire(createRequire(import.meta.url).resolve('camoufox-js'));
    sqlitePath = fromCamoufox.resolve('better-sqlite3');
  } catch (error) {
    return { usable: false, reason: `better-sqlite3 cannot be found from camoufox-js (${(error as Error).message})` };
  }
  const script = `const Database = require(${JSON.stringify(sqlitePath)}); const db = new Database(':memory:'); db.prepare('select 1').get(); db.close();`;
  const child = await new Promise<{ code: number | null; signal: string | null; stderr: string }>((done) => {
    // Never rejects: a failure of any kind is the answer.
    execFile(process.execPath, ['-e', script], { timeout: PROBE_TIMEOUT_MS }, (error, _stdout, stderr) => {
      const failure = error as (Error & { code?: number | string; signal?: string }) | null;
      done({
        code: failure ? (typeof failure.code === 'number' ? failure.code : -1) : 0,
        signal: failure?.signal ?? null,
        stderr: String(stderr),
      });
    });
  });
  if (child.code === 0 && !child.signal) return { usable: true };
  const how = child.signal ? `was killed by ${child.signal}` : `exited with ${child.code}`;
  const detail = child.stderr.trim().split('\n').at(-1);
  return { usable: false, reason: `better-sqlite3 (${sqlitePath}) ${how} on Node ${process.versions.node}${detail ? `: ${detail}` : ''}` };
}

/** What to do about it. */
export const WEBGL_DATABASE_FIX =
  'build better-sqlite3 for this Node (`npm run build-release` in node_modules/better-sqlite3) or run on Node >= 22';
