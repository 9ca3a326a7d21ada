import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listPids, parseRunMarker, parseStat, readPssKB, readRunMarker, readStat } from './proc.ts';

describe('proc readers', () => {
  it('parses stat with spaces and parentheses in the command name', () => {
    // Fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime priority nice threads itrealvalue starttime ...
    const text = '4242 (a) b (c)) S 17 4242 4242 0 -1 4194560 90 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200';
    expect(parseStat(text)).toEqual({ pid: 4242, ppid: 17, pgid: 4242, state: 'S', startTime: 987654, cpuTicks: 3 });
    expect(parseStat('garbage')).toBeUndefined();
  });

  it('reads this process: its parent, its state and a start time that does not change', () => {
    const self = readStat(process.pid);
    expect(self).toMatchObject({ pid: process.pid, ppid: process.ppid, state: 'R' });
    expect(readStat(process.pid)?.startTime).toBe(self?.startTime);
    expect(listPids()).toContain(process.pid);
    // 100 ms of work is 10 ticks of CPU; the count only grows.
    const spinUntil = performance.now() + 100;
    while (performance.now() < spinUntil);
    expect(readStat(process.pid)!.cpuTicks).toBeGreaterThan(self!.cpuTicks);
  });

  it('finds the marker only at the start of an environment entry', () => {
    const env = (entries: string[]) => Buffer.from(`${entries.join('\0')}\0`);
    expect(parseRunMarker(env(['PATH=/bin', 'TALLY_RUN=r1', 'TALLY_BROWSER=b7']))).toEqual({ run: 'r1', browser: 'b7' });
    expect(parseRunMarker(env(['TALLY_RUN=r1']))).toEqual({ run: 'r1', browser: undefined });
    expect(parseRunMarker(env(['XTALLY_RUN=r0', 'TALLY_RUN=r2']))).toEqual({ run: 'r2', browser: undefined });
    expect(parseRunMarker(env(['XTALLY_RUN=r0']))).toBeUndefined();
    expect(parseRunMarker(Buffer.alloc(0))).toBeUndefined();
  });

  it('reads the marker of a real process whose environment is larger than the read buffer', async () => {
    const child = spawn('sleep', ['30'], {
      env: { PADDING: 'x'.repeat(100_000), TALLY_RUN: 'r-long', TALLY_BROWSER: 'b2' },
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      // Until exec has happened the child still carries this process's environment.
      const deadline = Date.now() + 5000;
      while (readRunMarker(child.pid!) === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(readRunMarker(child.pid!)).toEqual({ run: 'r-long', browser: 'b2' });
      expect(readStat(child.pid!)?.ppid).toBe(process.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('skips a pid that does not exist instead of throwing', () => {
    // Above pid_max (at most 2^22), so never a process.
    const none = 5_000_000;
    expect(readStat(none)).toBeUndefined();
    expect(readRunMarker(none)).toBeUndefined();
    expect(readPssKB(none)).toBeUndefined();
  });

  it('reads a positive PSS for this process', () => {
    expect(readPssKB(process.pid)).toBeGreaterThan(1000);
  });
});
