import type { EventData, OsBrowserTree, OsSampleReason } from '../history/events.ts';
import { isGone, listPids, type ProcStat, readCmdline, readPssKB, readRunMarker, readStat } from './proc.ts';

/**
 * The operating system's view of a run: every live process started for it, by browser.
 *
 * A process belongs to browser `b` of run `r` when
 * - its environment carries TALLY_RUN=r and TALLY_BROWSER=b (Firefox's content processes, and
 *   crash handlers that leave the browser's process group, keep theirs), or
 * - it is in the process group of such a process that leads its group: the browser's main process,
 *   which Playwright starts as a group leader. Chromium's children rewrite their command line over
 *   their environment (their process title), so the group is how they are found. A group outlives
 *   its leader, and the groups learned while their leader was alive are remembered (per run, in this
 *   process), so the children a SIGKILLed main leaves behind are still found.
 * Zombies are skipped: they hold no memory and wait only for their parent to reap them.
 */

export interface RunProcess extends ProcStat {
  browser: string;
}

/** A browser's process group, learned from its marked leader. */
interface KnownGroup {
  browser: string;
  /** The leader's start time: a live process with the leader's pid but another start time is a reused pid. */
  leaderStartTime: number;
}

const UNMARKED_BROWSER = '?';

/** Groups learned per run. A group with no member left is forgotten at the next scan. */
const knownGroupsByRun = new Map<string, Map<number, KnownGroup>>();

/** Every live process of `runId`, with the browser it belongs to, in pid order. */
export function listRunProcesses(runId: string): RunProcess[] {
  const known = knownGroupsByRun.get(runId) ?? new Map<number, KnownGroup>();
  const members: RunProcess[] = [];
  const unmarked: ProcStat[] = [];

  for (const pid of listPids()) {
    // Never this process (its environment may carry a marker when it was itself started by a run).
    if (pid === process.pid || pid === 1) continue;
    const stat = readStat(pid);
    // Kernel threads (children of kthreadd, pid 2) have no environment to read.
    if (stat === undefined || isGone(stat.state) || stat.ppid === 2 || pid === 2) continue;
    const marker = readRunMarker(pid);
    if (marker === undefined || marker.run !== runId) {
      unmarked.push(stat);
      continue;
    }
    const browser = marker.browser ?? UNMARKED_BROWSER;
    members.push({ ...stat, browser });
    if (stat.pgid === pid) known.set(pid, { browser, leaderStartTime: stat.startTime });
  }

  if (known.size > 0) {
    for (const stat of unmarked) {
      const group = known.get(stat.pid);
      if (group !== undefined && stat.startTime !== group.leaderStartTime) known.delete(stat.pid);
    }
  }
  const seenGroups = new Set<number>();
  for (const stat of members) seenGroups.add(stat.pgid);
  for (const stat of unmarked) {
    const group = known.get(stat.pgid);
    if (group === undefined) continue;
    members.push({ ...stat, browser: group.browser });
    seenGroups.add(stat.pgid);
  }
  for (const pgid of known.keys()) if (!seenGroups.has(pgid)) known.delete(pgid);
  if (known.size > 0) knownGroupsByRun.set(runId, known);
  else knownGroupsByRun.delete(runId);

  return members.sort((a, b) => a.pid - b.pid);
}

export interface ScanOptions {
  /**
   * Read each process's PSS (default true). It is most of a scan's cost: the kernel walks the
   * process's page tables, a few ms per Chromium process. Without it every `pssMB` is 0.
   */
  pss?: boolean;
  /** `mainPid` is the browser's process whose parent this is (Playwright starts the browser as its direct child). */
  launcherPid?: number;
}

/** The run's processes grouped by browser, with their summed PSS (shared pages counted once, unlike RSS). */
export function scanRun(runId: string, options: ScanOptions = {}): OsBrowserTree[] {
  const { pss = true, launcherPid = process.pid } = options;
  return treesOf(listRunProcesses(runId), launcherPid, pss);
}

/**
 * An `os.sample` event's payload: what the operating system has for this run right now. A sample
 * taken because a browser came or went can skip PSS (`{ pss: false }`, its `pssMB` are then 0): the
 * memory figures are fitted on the `interval` samples only.
 */
export function osSample(runId: string, reason: OsSampleReason, options: ScanOptions = {}): EventData['os.sample'] {
  const browsers = scanRun(runId, options);
  let processes = 0;
  let pssMB = 0;
  for (const tree of browsers) {
    processes += tree.pids.length;
    pssMB += tree.pssMB;
  }
  return { browsers, processes, pssMB: roundMB(pssMB), reason };
}

/**
 * Send `signal` to browser `browserId` of the run: its main process only, or every process it has
 * (SIGSTOP of all of them is a browser that stops answering; SIGKILL of the main alone is a crash
 * that may leave children behind). Returns the pids signalled; a process that exited in between is
 * skipped.
 */
export function signalBrowser(runId: string, browserId: string, signal: NodeJS.Signals, scope: 'main' | 'all'): number[] {
  const processes = listRunProcesses(runId).filter((p) => p.browser === browserId);
  const targets = scope === 'all' ? processes.map((p) => p.pid) : processes.filter((p) => p.ppid === process.pid).map((p) => p.pid);
  return targets.filter((pid) => sendSignal(pid, signal));
}

/**
 * The processes that render Chromium browser `browserId`'s pages (`--type=renderer`). Killing them
 * crashes the pages and leaves the browser up. (Chromium's children rewrite their command line
 * into one space-separated string, so the argument is matched as text.) Firefox's content
 * processes cannot be told apart from its privileged ones by their arguments: killing those
 * takes the whole browser down, so there is no Firefox counterpart.
 */
export function pageProcesses(runId: string, browserId: string): number[] {
  return listRunProcesses(runId)
    .filter((p) => p.browser === browserId)
    .filter((p) => {
      const text = ` ${readCmdline(p.pid).join(' ')} `;
      return text.includes(' --type=renderer ');
    })
    .map((p) => p.pid);
}

/** Most rounds of killRun: each catches what forked while the previous one was killing. */
const KILL_ROUNDS = 5;

/** SIGKILL every process of the run. Returns how many were killed. */
export function killRun(runId: string): number {
  const killed = new Set<number>();
  for (let round = 0; round < KILL_ROUNDS; round++) {
    // A process just killed can still be listed (it is not a zombie yet): it is not killed twice.
    const fresh = listRunProcesses(runId).filter((p) => !killed.has(p.pid));
    if (fresh.length === 0) break;
    for (const { pid } of fresh) if (sendSignal(pid, 'SIGKILL')) killed.add(pid);
  }
  return killed.size;
}

export interface WaitForExitOptions {
  /** Only these browsers' processes (default: the whole run's). */
  browsers?: readonly string[];
  timeoutMs?: number;
  pollMs?: number;
}

/**
 * Wait until the run (or the given browsers of it) has no live process left: processes take a
 * moment to exit after a close, a crash or a kill. Resolves false if some remain at the timeout.
 */
export async function waitForExit(runId: string, options: WaitForExitOptions = {}): Promise<boolean> {
  const { browsers, timeoutMs = 2000, pollMs = 25 } = options;
  const wanted = browsers === undefined ? undefined : new Set(browsers);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = listRunProcesses(runId).filter((p) => wanted === undefined || wanted.has(p.browser));
    if (left.length === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function treesOf(processes: readonly RunProcess[], launcherPid: number, pss: boolean): OsBrowserTree[] {
  const byBrowser = new Map<string, { tree: OsBrowserTree; pssKB: number }>();
  for (const p of processes) {
    let entry = byBrowser.get(p.browser);
    if (entry === undefined) {
      entry = { tree: { browser: p.browser, pids: [], pssMB: 0 }, pssKB: 0 };
      byBrowser.set(p.browser, entry);
    }
    entry.tree.pids.push(p.pid);
    if (p.ppid === launcherPid) entry.tree.mainPid = p.pid;
    if (pss) entry.pssKB += readPssKB(p.pid) ?? 0;
  }
  const trees = [...byBrowser.values()].map(({ tree, pssKB }) => ({ ...tree, pssMB: roundMB(pssKB / 1024) }));
  // b2 before b10.
  return trees.sort((a, b) => a.browser.localeCompare(b.browser, 'en', { numeric: true }));
}

/** One decimal: a tenth of a MB is well below what a browser's memory moves by. */
function roundMB(mb: number): number {
  return Math.round(mb * 10) / 10;
}

function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    // ESRCH: it exited since it was listed.
    return false;
  }
}
