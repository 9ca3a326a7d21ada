import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { INCARNATIONS_FILE, type Incarnation } from '../report/incarnations.ts';
import type { RunningService, ServiceEnd } from './launch-service.ts';
import { type ServiceChild, spawnReady, TALLY_BIN } from './spawn-service.ts';

/** Restarts are bounded: a service that dies at once would otherwise be restarted for as long as the load lasts. */
export const MAX_INCARNATIONS = 20;

/**
 * The service under a heap limit (`--max-old-space-size`), restarted when it dies, as an
 * orchestrator restarts a pod: each incarnation is a run of its own in `<run>/incarnations/<n>/`,
 * on the same port (the load goes on against one URL; requests sent while it is down fail, as
 * they did in production). `incarnations.json` records how each ended, for the report and
 * `tally check`. Stopping it (SIGTERM) ends the supervision: the incarnation then serving drains
 * and writes its report; `ended` settles once it has exited.
 */
export async function startSupervised(serveArgs: readonly string[], runDir: string, memoryLimitMB: number): Promise<RunningService> {
  const port = await freePort();
  const incarnations: Incarnation[] = [];
  const record = () => writeFileSync(join(runDir, INCARNATIONS_FILE), `${JSON.stringify({ memoryLimitMB, incarnations }, null, 2)}\n`);
  const folderOf = (n: number) => join('incarnations', String(n));
  const start = (n: number) =>
    spawnReady([
      `--max-old-space-size=${memoryLimitMB}`,
      TALLY_BIN,
      'serve',
      '--port',
      String(port),
      ...serveArgs,
      '--out',
      join(runDir, folderOf(n)),
    ]);
  let startedAt = performance.now();
  let current: ServiceChild = await start(1);
  let stopping = false;
  const url = current.url;

  const supervise = async (): Promise<ServiceEnd> => {
    for (let n = 1; ; n++) {
      const exit = await current.exited;
      const output = current.output();
      const livedMs = Math.round(performance.now() - startedAt);
      incarnations.push({ folder: folderOf(n), end: stopping ? 'stopped' : howItDied(output.stderr), exit, livedMs });
      record();
      if (stopping || n >= MAX_INCARNATIONS) return { verdict: null, exit, ...output };
      console.log(
        `the service died after ${(livedMs / 1000).toFixed(1)} s (${incarnations.at(-1)!.end}, ${exit.signal ?? `exit ${exit.code}`}): restarting it (incarnation ${n + 1})`,
      );
      startedAt = performance.now();
      const next = await startOrDeath(() => start(n + 1));
      if ('died' in next) {
        const lived = Math.round(performance.now() - startedAt);
        incarnations.push({ folder: folderOf(n + 1), end: howItDied(next.died), exit: { code: null, signal: null }, livedMs: lived });
        record();
        return { verdict: null, exit: { code: null, signal: null }, stdout: '', stderr: next.died };
      }
      current = next;
      // Stopped while this incarnation was starting: it stops as soon as it is up.
      if (stopping) current.child.kill('SIGTERM');
    }
  };
  const ended = supervise();
  return {
    url,
    stop: () => {
      stopping = true;
      current.child.kill('SIGTERM');
    },
    ended,
  };
}

/** V8's own words when the heap limit is reached; anything else is a death of another cause. */
function howItDied(stderr: string): Incarnation['end'] {
  return /JavaScript heap out of memory|Reached heap limit/.test(stderr) ? 'oom' : 'died';
}

async function startOrDeath(start: () => Promise<ServiceChild>): Promise<ServiceChild | { died: string }> {
  try {
    return await start();
  } catch (error) {
    return { died: (error as Error).message };
  }
}

/** A port free on loopback now, for every incarnation to listen on in turn. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
