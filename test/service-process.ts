import type { ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';
import { type ServiceChild, spawnService } from '../harness/load/spawn-service.ts';

export interface ServiceProcess extends ServiceChild {
  post(body: unknown, init?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<Response>;
}

const started = new Set<ChildProcess>();
// Whatever a failed test left running is killed with its file: no service outlives its test.
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `tally serve <args>` in its own process, resolved once it is ready (rejected with its output if it exits first). */
export async function startService(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
  const service = await spawnService(args, { ...process.env, ...env }, (child) => started.add(child));
  return {
    ...service,
    post: (body, init = {}) =>
      fetch(`${service.url}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...(init.signal ? { signal: init.signal } : {}),
      }),
  };
}

/** SIGTERM, then the exit. */
export async function stopService(service: ServiceProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  service.child.kill('SIGTERM');
  return service.exited;
}
