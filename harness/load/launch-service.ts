import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileOutcome } from '../report/report-json.ts';
import { clinicBin, lastError, type ProfileTool, profileOutcome } from './profile.ts';
import { spawnReady, spawnService, TALLY_BIN } from './spawn-service.ts';
import { tokenHeaders } from './token-headers.ts';

/** A `tally serve` process that `tally load` started, from ready to its end. */
export interface RunningService {
  url: string;
  /** Ask it to drain and end; its run folder is written by the time `ended` settles. */
  stop(): void;
  /** Settles once it, and any profiler around it, have exited. */
  ended: Promise<ServiceEnd>;
}

export interface ServiceEnd {
  /** The run's verdict code (0, 1, 2), or null when it gave none. */
  verdict: number | null;
  /** What the process (or clinic) exited with, and printed. */
  exit: { code: number | null; signal: NodeJS.Signals | null };
  stdout: string;
  stderr: string;
  profile?: ProfileOutcome;
}

/** How long clinic may take, from the stop, to drain the service, analyse and write its page; then its process group is killed. */
const PROFILE_DEADLINE_MS = 180_000;

/** The service in a process of its own; SIGTERM drains it, and its exit code is the verdict. */
export async function startService(serveArgs: readonly string[]): Promise<RunningService> {
  const service = await spawnService(serveArgs);
  return {
    url: service.url,
    stop: () => service.child.kill('SIGTERM'),
    ended: service.exited.then((exit) => ({ verdict: exit.code === 0 || exit.code === 1 ? exit.code : null, exit, ...service.output() })),
  };
}

/**
 * The service under `clinic <tool>`, in the run folder (clinic reads the trace files its service
 * leaves in the working directory) and in a process group of its own. It is stopped with
 * `POST /shutdown`, not a signal: clinic's and 0x's signal handlers would end it before its run is
 * written. It ends by itself, clinic collects as it exits and writes its page into `<run>/clinic/`.
 * clinic's exit code is not the run's: the verdict is read from the report the service wrote.
 * Rejected, with nothing left running, when clinic fails before the service is ready.
 */
export async function startProfiled(tool: ProfileTool, serveArgs: readonly string[], runDir: string): Promise<RunningService> {
  mkdirSync(runDir, { recursive: true });
  const clinicArgs = [clinicBin(), tool, '--open=false', '--dest', join(runDir, 'clinic'), '--name', 'service', '--'];
  let child: ChildProcess | undefined;
  const env = { ...process.env, NO_INSIGHT: '1' };
  const service = await spawnReady(
    [...clinicArgs, process.execPath, TALLY_BIN, 'serve', '--port', '0', ...serveArgs],
    env,
    (spawned) => (child = spawned),
    {
      cwd: runDir,
      detached: true,
      name: `clinic ${tool}`,
    },
  ).catch((error: Error) => {
    killGroup(child);
    throw new Error(`clinic ${tool} did not start the service: ${lastError(error.message)}`);
  });
  let deadline: NodeJS.Timeout | undefined;
  let overran = false;
  const stop = () => {
    if (deadline) return;
    deadline = setTimeout(() => {
      overran = true;
      killGroup(service.child);
    }, PROFILE_DEADLINE_MS);
    void fetch(`${service.url}/shutdown`, { method: 'POST', headers: tokenHeaders() }).catch(() => killGroup(service.child));
  };
  const ended = service.exited.then((exit) => {
    clearTimeout(deadline);
    // clinic is gone: whatever of its group is left (a service it lost track of) goes with it.
    killGroup(service.child);
    const output = service.output();
    const outcome = profileOutcome(tool, runDir, exit, output);
    const profile = overran
      ? { tool, missing: `clinic ${tool} did not finish within ${PROFILE_DEADLINE_MS / 1000} s and was killed` }
      : outcome;
    return { verdict: reportedVerdict(runDir), exit, ...output, profile };
  });
  return { url: service.url, stop, ended };
}

/** The verdict code in the run's report.json, or null when the service wrote none. */
function reportedVerdict(runDir: string): number | null {
  const path = join(runDir, 'report.json');
  if (!existsSync(path)) return null;
  const code = (JSON.parse(readFileSync(path, 'utf8')) as { verdict?: { code?: unknown } }).verdict?.code;
  return typeof code === 'number' ? code : null;
}

function killGroup(child: ChildProcess | undefined): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}
