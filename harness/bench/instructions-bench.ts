/**
 * `npm run bench:instructions`: what checking costs in instructions, which unlike time do not
 * depend on what else the machine is doing. Each run is counted whole under valgrind (callgrind),
 * checks on and off, at two lengths; the difference between the lengths is the cost of the extra
 * events alone, free of start-up and of compiling the code once. Needs valgrind
 * (`apt-get install -y valgrind`); takes about 15 minutes on 2 cores (`TALLY_BENCH_POOLS=fixed`
 * for one pool, `TALLY_BENCH_MINUTES=4,16` for the lengths). Last line: one JSON object.
 */
import { spawn, spawnSync } from 'node:child_process';
import { round } from './stats.ts';

const LENGTHS_MIN = (process.env.TALLY_BENCH_MINUTES ?? '4,16').split(',').map(Number) as [number, number];
const POOLS = (process.env.TALLY_BENCH_POOLS ?? 'fixed,legacy').split(',');

if (spawnSync('valgrind', ['--version']).status !== 0) {
  process.stderr.write('bench:instructions needs valgrind: apt-get install -y valgrind\n');
  process.exit(2);
}

interface Count {
  instructions: number;
  events: number;
  violations: number;
}

function counted(pool: string, checks: 'on' | 'off', minutes: number): Promise<Count> {
  return new Promise((resolve, reject) => {
    const args = [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      '--smc-check=all-non-file',
      process.execPath,
      '--import',
      'tsx',
      'harness/bench/bench-run.ts',
      pool,
      checks,
      String(minutes),
    ];
    const child = spawn('valgrind', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const collected = /Collected : (\d+)/.exec(err);
      if (code !== 0 || !collected)
        return reject(new Error(`valgrind run ${pool} ${checks} ${minutes} min failed (exit ${code}):\n${err.slice(-2000)}`));
      const { events, violations } = JSON.parse(out.trim().split('\n').at(-1)!);
      process.stderr.write(`  ${pool} checks ${checks}, ${minutes} min: ${events} events, ${collected[1]} instructions\n`);
      resolve({ instructions: Number(collected[1]), events, violations });
    });
  });
}

const results: Record<string, unknown> = {};
for (const pool of POOLS) {
  // Two at a time: one per core.
  const [offShort, onShort] = await Promise.all([counted(pool, 'off', LENGTHS_MIN[0]), counted(pool, 'on', LENGTHS_MIN[0])]);
  const [offLong, onLong] = await Promise.all([counted(pool, 'off', LENGTHS_MIN[1]), counted(pool, 'on', LENGTHS_MIN[1])]);
  const perEvent = (short: Count, long: Count) => (long.instructions - short.instructions) / (long.events - short.events);
  const off = perEvent(offShort, offLong);
  const on = perEvent(onShort, onLong);
  results[pool] = {
    events: onLong.events,
    violations: onLong.violations,
    instructionsPerEventChecksOff: Math.round(off),
    instructionsPerEventChecksOn: Math.round(on),
    overheadPct: round((100 * (on - off)) / off, 2),
  };
}
console.log(JSON.stringify({ bench: 'instructions', node: process.version, concurrentSessions: 50, lengthsMin: LENGTHS_MIN, ...results }));
