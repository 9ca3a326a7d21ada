import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newRunId } from './browser-marker.ts';
import { readStat } from './proc.ts';
import { listRunProcesses, waitForExit } from './run-processes.ts';
import { ownerAlive, type RunRecord, reapAbandonedRuns, registerRun } from './run-registry.ts';
import { killRuns, spawnTree, untilProcesses } from './testing/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'tally-registry-test-'));
const runs: string[] = [];
const owners: ChildProcess[] = [];
afterAll(() => {
  for (const owner of owners) owner.kill('SIGKILL');
  killRuns(runs);
  rmSync(dir, { recursive: true, force: true });
});

function writeRecord(record: RunRecord): void {
  writeFileSync(join(dir, `${record.runId}.json`), JSON.stringify(record));
}

/** A run's owner: registers the run, starts a browser-like tree, and waits to be killed. */
const OWNER_SCRIPT = `
import { spawn } from 'node:child_process';
import { registerRun } from './harness/os/run-registry.ts';
import { markerEnv } from './harness/os/browser-marker.ts';
const [runId, dir] = process.argv.slice(1);
registerRun(runId, dir);
spawn('sh', ['-c', 'sleep 60 & sleep 60 & wait'], { env: { ...process.env, ...markerEnv(runId, 'b1') }, detached: true, stdio: 'ignore' });
console.log('ready');
setTimeout(() => {}, 60_000);
`;

/** A pid whose process has exited (and was reaped). */
function deadPid(): number {
  const exited = spawnSync('sh', ['-c', 'echo $$']);
  return Number(exited.stdout.toString().trim());
}

describe('run registry', () => {
  it('records the owner by pid and start time, and removes the record when asked', () => {
    const runId = newRunId();
    const unregister = registerRun(runId, dir);
    const path = join(dir, `${runId}.json`);
    const record = JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
    expect(record).toMatchObject({ runId, pid: process.pid, startTime: readStat(process.pid)!.startTime });
    expect(ownerAlive(record)).toBe(true);
    expect(ownerAlive({ pid: process.pid, startTime: record.startTime + 1 })).toBe(false);
    unregister();
    expect(existsSync(path)).toBe(false);
  });

  it('rejects a run id that is not safe in a file name', () => {
    expect(() => registerRun('../etc', dir)).toThrow(/run id "..\/etc" must be/);
  });

  it('kills the processes of runs whose owner is gone, and leaves a live run alone', async () => {
    const live = newRunId();
    const deadOwner = newRunId();
    const reusedPid = newRunId();
    runs.push(live, deadOwner, reusedPid);
    for (const runId of runs) spawnTree(runId, 'b1', 'sleep 60 & sleep 60 & wait');
    for (const runId of runs) await untilProcesses(runId, 'b1', 3);

    const unregister = registerRun(live, dir);
    const self = readStat(process.pid)!;
    writeRecord({ runId: deadOwner, pid: deadPid(), startTime: self.startTime, startedAt: new Date().toISOString() });
    // The owner's pid now belongs to another process (this one): its start time gives it away.
    writeRecord({ runId: reusedPid, pid: process.pid, startTime: self.startTime - 1, startedAt: new Date().toISOString() });
    writeFileSync(join(dir, 'notes.txt'), 'not a record');
    writeFileSync(join(dir, 'broken.json'), '{');

    const reaped = reapAbandonedRuns(dir).sort((a, b) => a.runId.localeCompare(b.runId));
    expect(reaped).toEqual(
      [
        { runId: deadOwner, killed: 3 },
        { runId: reusedPid, killed: 3 },
      ].sort((a, b) => a.runId.localeCompare(b.runId)),
    );
    expect(await waitForExit(deadOwner)).toBe(true);
    expect(await waitForExit(reusedPid)).toBe(true);
    expect(existsSync(join(dir, `${deadOwner}.json`))).toBe(false);
    expect(existsSync(join(dir, `${reusedPid}.json`))).toBe(false);

    expect(listRunProcesses(live)).toHaveLength(3);
    expect(existsSync(join(dir, `${live}.json`))).toBe(true);
    expect(reapAbandonedRuns(dir)).toEqual([]);
    unregister();
  });

  it('cleans up after an owner that was SIGKILLed with its browsers running', async () => {
    const runId = newRunId();
    runs.push(runId);
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', OWNER_SCRIPT, runId, dir], {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    owners.push(owner);
    await new Promise<void>((resolve, reject) => {
      owner.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      owner.on('exit', (code) => reject(new Error(`the owner exited early with code ${code}`)));
    });
    await untilProcesses(runId, 'b1', 3);
    owner.kill('SIGKILL');
    await new Promise((resolve) => owner.once('exit', resolve));

    expect(reapAbandonedRuns(dir)).toEqual([{ runId, killed: 3 }]);
    expect(await waitForExit(runId)).toBe(true);
  });

  it('removes the browser scratch of a run whose owner is gone, with the profiles it names, and nothing else', () => {
    const runId = newRunId();
    const scratch = mkdtempSync(join(tmpdir(), 'tally-browsers-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'tally-registry-profiles-'));
    const profile = join(elsewhere, 'playwright_chromiumdev_profile-abc123');
    const notAProfile = join(elsewhere, 'keep-me');
    for (const folder of [profile, notAProfile]) mkdirSync(folder);
    writeFileSync(join(scratch, 'profiles.txt'), `${profile}\n${notAProfile}\n`);
    const self = readStat(process.pid)!;
    writeRecord({ runId, pid: deadPid(), startTime: self.startTime, startedAt: new Date().toISOString(), scratch });
    // A record naming a folder the scratch module did not make is not followed.
    const foreign = newRunId();
    writeRecord({ runId: foreign, pid: deadPid(), startTime: self.startTime, startedAt: new Date().toISOString(), scratch: elsewhere });

    expect(
      reapAbandonedRuns(dir)
        .map((reaped) => reaped.runId)
        .sort(),
    ).toEqual([runId, foreign].sort());
    expect(existsSync(scratch)).toBe(false);
    expect(existsSync(profile)).toBe(false);
    expect(existsSync(notAProfile)).toBe(true);
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('finds nothing to reap when the directory does not exist', () => {
    expect(reapAbandonedRuns(join(dir, 'missing'))).toEqual([]);
  });
});
