import { type ChildProcess, spawn } from 'node:child_process';
import { markerEnv } from '../browser-marker.ts';
import { killRun, listRunProcesses } from '../run-processes.ts';

/**
 * Real process trees standing in for browsers in the tests: `sh` is the main process (this
 * process's child, leading its own group, as Playwright starts a browser) and its commands are the
 * children.
 */
export function spawnTree(runId: string, browserId: string, script: string): ChildProcess {
  const child = spawn('sh', ['-c', script], {
    env: { ...process.env, ...markerEnv(runId, browserId) },
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', (error) => {
    throw new Error(`cannot start the test process tree ${script}: ${error.message}`);
  });
  return child;
}

/** Poll until `condition` holds; throws after `timeoutMs` with what was awaited. */
export async function until(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Wait until the run has `count` live processes for `browserId`. */
export function untilProcesses(runId: string, browserId: string, count: number): Promise<void> {
  return until(
    `${count} processes of ${runId}/${browserId}`,
    () => listRunProcesses(runId).filter((p) => p.browser === browserId).length === count,
  );
}

/** Kill whatever the runs left, for afterAll. */
export function killRuns(runIds: readonly string[]): void {
  for (const runId of runIds) killRun(runId);
}
