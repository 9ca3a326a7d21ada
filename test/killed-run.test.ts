// A run killed outright (SIGKILL, as the OOM killer does) runs no handler: its history is whatever
// reached the disk. The sink writes on a short timer, so it holds the run up to its last moments,
// and `tally check` judges it as cut: undecided, with what is there.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tally, tempDir } from './helpers.ts';

const out = tempDir();
/** Time for the CLI to start on a busy machine and for its first jobs to work. */
const DEADLINE_MS = 15_000;

/** Complete lines of the history written so far. */
function eventsOnDisk(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').slice(0, -1);
}

describe('a run killed with SIGKILL', () => {
  it('leaves a history of its events up to the kill, which tally check calls cut and undecided', { timeout: 60_000 }, async () => {
    const folder = join(out, 'killed');
    const history = join(folder, 'history.ndjson');
    // The soak at half a scenario minute per second: a hundred-odd events a second, which a 256 KB
    // buffer would hold for a minute and more. The jobs work from about a second into the run.
    let seenWorking = 0;
    const killed = await tally(['run', 'soak', '--pool', 'fixed', '--pace', '30', '--out', folder, '--quiet'], {
      onSpawn: (child) => {
        const started = performance.now();
        const poll = setInterval(() => {
          const lines = eventsOnDisk(history);
          const working = lines.filter((line) => line.includes('"kind":"job.work"')).length;
          // Kill once every slot's job is seen working on disk.
          if (working >= 4) seenWorking = working;
          if (seenWorking > 0 || performance.now() - started > DEADLINE_MS) {
            clearInterval(poll);
            child.kill('SIGKILL');
          }
        }, 50);
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(seenWorking, `no job.work reached the disk within ${DEADLINE_MS} ms`).toBeGreaterThan(0);
    expect(existsSync(join(folder, 'report.json'))).toBe(false);

    const lines = eventsOnDisk(history);
    expect(statSync(history).size).toBeGreaterThan(0);
    const events = lines.map((line) => JSON.parse(line));
    expect(events[0].kind).toBe('run.start');
    expect(events.some((event) => event.kind === 'run.end')).toBe(false);

    const checked = await tally(['check', folder]);
    expect(checked.code, checked.stdout + checked.stderr).toBe(2);
    expect(checked.stdout).toMatch(/^cut: the history ends without run\.end after \d+ events/m);
    expect(checked.stdout).toMatch(/^UNKNOWN: no violation seen, but the history is cut/m);
    expect(checked.stdout).toMatch(/^counter-matches-sessions\s+0$/m);
  });
});
