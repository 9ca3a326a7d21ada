import { afterAll, describe, expect, it } from 'vitest';
import { newRunId } from './browser-marker.ts';
import { listPids, readStat } from './proc.ts';
import { killRun, listRunProcesses, osSample, scanRun, signalBrowser, waitForExit } from './run-processes.ts';
import { killRuns, spawnTree, until, untilProcesses } from './testing/processes.ts';

const runs: string[] = [];
function run(): string {
  const runId = newRunId();
  runs.push(runId);
  return runId;
}

afterAll(() => killRuns(runs));

const TWO_CHILDREN = 'sleep 60 & sleep 60 & wait';

describe('run processes (real process trees)', () => {
  it('groups a run by browser, names each main process and sums PSS', async () => {
    const runId = run();
    const b1 = spawnTree(runId, 'b1', TWO_CHILDREN);
    const b2 = spawnTree(runId, 'b2', TWO_CHILDREN);
    const other = run();
    spawnTree(other, 'b1', TWO_CHILDREN);
    await untilProcesses(runId, 'b1', 3);
    await untilProcesses(runId, 'b2', 3);
    await untilProcesses(other, 'b1', 3);

    const trees = scanRun(runId);
    expect(trees.map((t) => t.browser)).toEqual(['b1', 'b2']);
    expect(trees[0]).toMatchObject({ mainPid: b1.pid });
    expect(trees[1]).toMatchObject({ mainPid: b2.pid });
    for (const tree of trees) {
      expect(tree.pids).toHaveLength(3);
      expect(tree.pssMB).toBeGreaterThan(0);
      for (const pid of tree.pids) expect(readStat(pid)?.pgid).toBe(tree.mainPid);
    }
    const sample = osSample(runId, 'interval');
    expect(sample).toMatchObject({ processes: 6, reason: 'interval' });
    // PSS moves between two scans (shared pages are split among whoever maps them now): compare within one.
    expect(sample.browsers.map((t) => t.pids.length)).toEqual([3, 3]);
    expect(sample.pssMB).toBeCloseTo(sample.browsers[0]!.pssMB + sample.browsers[1]!.pssMB, 5);
    expect(scanRun(other).map((t) => t.pids.length)).toEqual([3]);
    expect(osSample(runId, 'browser', { pss: false })).toMatchObject({ processes: 6, pssMB: 0, reason: 'browser' });
  });

  it('skips zombies', async () => {
    const runId = run();
    // `exec` replaces sh with a process that never waits: the short sleep stays a zombie.
    const main = spawnTree(runId, 'b1', 'sleep 0.05 & exec sleep 60');
    const zombieOf = (parent: number) => listPids().filter((pid) => readStat(pid)?.ppid === parent && readStat(pid)?.state === 'Z');
    await until('the zombie child', () => zombieOf(main.pid!).length === 1);
    expect(scanRun(runId)).toEqual([{ browser: 'b1', mainPid: main.pid, pids: [main.pid], pssMB: expect.any(Number) }]);
  });

  it('stops and resumes every process of a browser', async () => {
    const runId = run();
    spawnTree(runId, 'b1', TWO_CHILDREN);
    await untilProcesses(runId, 'b1', 3);
    const stopped = signalBrowser(runId, 'b1', 'SIGSTOP', 'all');
    expect(stopped).toHaveLength(3);
    await until('state T', () => stopped.every((pid) => readStat(pid)?.state === 'T'));
    const resumed = signalBrowser(runId, 'b1', 'SIGCONT', 'all');
    expect(resumed.sort()).toEqual([...stopped].sort());
    await until('not stopped', () => stopped.every((pid) => readStat(pid)?.state !== 'T'));
  });

  it('finds the children a SIGKILLed main process leaves behind, by marker and by process group', async () => {
    const runId = run();
    // The second child drops the marker, as Chromium's children overwrite theirs: only its group tells.
    const main = spawnTree(runId, 'b1', 'sleep 60 & env -u TALLY_RUN -u TALLY_BROWSER sleep 60 & wait');
    await untilProcesses(runId, 'b1', 3);
    expect(signalBrowser(runId, 'b1', 'SIGKILL', 'main')).toEqual([main.pid]);
    await until('the main process reaped', () => readStat(main.pid!) === undefined);
    const [tree, ...others] = scanRun(runId);
    expect(others).toEqual([]);
    expect(tree?.mainPid).toBeUndefined();
    expect(tree?.pids).toHaveLength(2);
    for (const pid of tree!.pids) {
      // Orphaned: adopted by init, still in the dead main's process group.
      expect(readStat(pid)?.pgid).toBe(main.pid);
      expect(readStat(pid)?.ppid).not.toBe(main.pid);
    }

    expect(killRun(runId)).toBe(2);
    expect(await waitForExit(runId)).toBe(true);
    expect(scanRun(runId)).toEqual([]);
  });

  it('kills every process of a run and nothing else', async () => {
    const runId = run();
    const survivor = run();
    for (const browser of ['b1', 'b2', 'b3']) spawnTree(runId, browser, TWO_CHILDREN);
    spawnTree(survivor, 'b1', TWO_CHILDREN);
    for (const browser of ['b1', 'b2', 'b3']) await untilProcesses(runId, browser, 3);
    await untilProcesses(survivor, 'b1', 3);

    expect(killRun(runId)).toBe(9);
    expect(await waitForExit(runId, { timeoutMs: 3000 })).toBe(true);
    expect(listRunProcesses(runId)).toEqual([]);
    expect(listRunProcesses(survivor)).toHaveLength(3);
  });

  it('waits for one browser to exit and gives up at the timeout while it lives', async () => {
    const runId = run();
    spawnTree(runId, 'b1', TWO_CHILDREN);
    spawnTree(runId, 'b2', TWO_CHILDREN);
    await untilProcesses(runId, 'b1', 3);
    await untilProcesses(runId, 'b2', 3);
    expect(await waitForExit(runId, { browsers: ['b1'], timeoutMs: 100 })).toBe(false);
    signalBrowser(runId, 'b1', 'SIGKILL', 'all');
    expect(await waitForExit(runId, { browsers: ['b1'] })).toBe(true);
    expect(scanRun(runId).map((t) => t.browser)).toEqual(['b2']);
  });
});
