import { formatVirtualTime } from '../report/format.ts';
import type { RunStatus } from './run-scenario.ts';

/**
 * One status line on stderr while a run goes: rewritten in place on a terminal, printed every
 * few seconds otherwise (CI logs), so a long run never looks hung.
 */
export function showProgress(label: string, durationMs: number): { attach(status: () => RunStatus): void; stop(): void } {
  const tty = process.stderr.isTTY === true;
  let read: (() => RunStatus) | undefined;
  let lastLength = 0;
  const render = () => {
    if (!read) return;
    const s = read();
    const pct = Math.min(100, Math.floor((100 * s.virtualMs) / durationMs));
    const line = `${label}  ${formatVirtualTime(s.virtualMs)} (${pct}%)  jobs ${s.jobsStarted} (${s.jobsRunning} running)  events ${s.events}  violations ${s.violations}`;
    if (tty) {
      process.stderr.write(`\r${line.padEnd(lastLength)}`);
      lastLength = line.length;
    } else process.stderr.write(`${line}\n`);
  };
  const timer = setInterval(render, tty ? 200 : 5_000);
  timer.unref();
  return {
    attach(status) {
      read = status;
      render(); // at once, so a run that has started is seen to have
    },
    stop() {
      clearInterval(timer);
      render();
      if (tty) process.stderr.write('\n');
    },
  };
}
