import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The `tally` entry point: what a service process runs (under clinic or a heap limit too). */
export const TALLY_BIN = join(import.meta.dirname, '..', '..', 'bin', 'tally.js');

export interface ServiceChild {
  /** `http://127.0.0.1:PORT`, from the service's `ready:` line. */
  url: string;
  child: ChildProcess;
  /** Settles when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): { stdout: string; stderr: string };
}

/**
 * `tally serve <args> --port 0` in a process of its own (the system under test runs apart from
 * what loads and judges it), resolved once it says it is ready; rejected with its output if it
 * exits first. The caller stops it (SIGTERM) and awaits `exited`.
 */
export function spawnService(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  onSpawn?: (child: ChildProcess) => void,
): Promise<ServiceChild> {
  return spawnReady([TALLY_BIN, 'serve', '--port', '0', ...args], env, onSpawn);
}

/**
 * `node <nodeArgs>`, resolved once it prints `ready: POST <url>/jobs` as `tally serve` does (benches
 * start other servers so; clinic passes on its service's output). `detached`: it leads a process
 * group of its own, which its caller signals or kills whole.
 */
export function spawnReady(
  nodeArgs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  onSpawn?: (child: ChildProcess) => void,
  options: { cwd?: string; detached?: boolean; name?: string } = {},
): Promise<ServiceChild> {
  const child = spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: options.cwd, detached: options.detached });
  onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const output = () => ({ stdout, stderr });
  return new Promise((resolve, reject) => {
    const onData = () => {
      const ready = /^ready: POST (http:\/\/\S+)\/jobs/m.exec(stdout);
      if (!ready) return;
      child.stdout!.off('data', onData);
      resolve({ url: ready[1]!, child, exited, output });
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code }) =>
      reject(
        new Error(
          `${options.name ?? (nodeArgs.includes('serve') ? 'tally serve' : 'the server')} exited (${code}) before it was ready\n${stdout}\n${stderr}`.trim(),
        ),
      ),
    );
  });
}
