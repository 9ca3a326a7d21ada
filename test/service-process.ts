import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ROOT } from './helpers.ts';

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Settles when the process has exited, with its code. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  post(body: unknown, init?: RequestInit): Promise<Response>;
}

const started = new Set<ChildProcess>();
// Whatever a failed test left running is killed with its file: no service outlives its test.
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `tally serve <args>` in its own process, resolved once it says it is ready (or rejected with its output if it exits first). */
export function startService(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/tally.js'), 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const onData = () => {
      const ready = /^ready: POST (http:\/\/\S+)\/jobs/m.exec(stdout);
      if (!ready) return;
      child.stdout!.off('data', onData);
      const url = ready[1]!;
      resolve({
        url,
        child,
        exited,
        output: () => ({ stdout, stderr }),
        post: (body, init = {}) =>
          fetch(`${url}/jobs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
            body: typeof body === 'string' ? body : JSON.stringify(body),
            ...(init.signal ? { signal: init.signal } : {}),
          }),
      });
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`tally serve exited (${code}) before it was ready\n${stdout}\n${stderr}`)));
  });
}

/** SIGTERM, then the exit. */
export async function stopService(service: ServiceProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  service.child.kill('SIGTERM');
  return service.exited;
}
