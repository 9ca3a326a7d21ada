/**
 * Run in a child process by the tests: does one thing with network access refused and watched,
 * then reports on stdout (one JSON line) what happened, including any unhandled rejection seen in
 * the settle window after it. `fetch` (what camoufox-js downloads with), socket connects and DNS
 * lookups are refused, so nothing leaves the machine even when the code under test tries.
 *
 *   node --import tsx network-guarded-child.ts <check|launch-options|camoufox-js-path> <settleMs>
 */
import dns from 'node:dns';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface GuardedReport {
  outcome: 'returned' | 'threw';
  errorName?: string;
  message?: string;
  elapsedMs: number;
  networkAttempts: string[];
  unhandledRejections: string[];
}

const networkAttempts: string[] = [];
const unhandledRejections: string[] = [];
process.on('unhandledRejection', (reason) => unhandledRejections.push(String(reason)));

const refuse = (what: string): Error => {
  networkAttempts.push(what);
  return new Error(`network refused in this test: ${what}`);
};
globalThis.fetch = async (input) => {
  throw refuse(`fetch ${String(input instanceof Request ? input.url : input)}`);
};
net.Socket.prototype.connect = function connect(...args: unknown[]) {
  throw refuse(`connect ${JSON.stringify(args[0])}`);
} as typeof net.Socket.prototype.connect;
dns.lookup = ((hostname: string) => {
  throw refuse(`dns ${hostname}`);
}) as unknown as typeof dns.lookup;

const [action, settleArg] = process.argv.slice(2);
const settleMs = Number(settleArg ?? 2000);

/** Loads what the action needs, and returns the action itself, to time it apart from the loading. */
async function prepare(): Promise<() => unknown> {
  if (action === 'check') {
    const { checkCamoufoxInstalled } = await import('../camoufox-launcher.ts');
    return () => checkCamoufoxInstalled(process.env);
  }
  if (action === 'launch-options') {
    const { camoufoxLaunchOptions } = await import('../camoufox-launcher.ts');
    return () => camoufoxLaunchOptions({ headless: true, blockWebgl: true }, { TALLY_MARK: 'child' });
  }
  if (action === 'camoufox-js-path') {
    // camoufox-js on its own, for contrast: asked for a browser that is not there, it downloads.
    const pkgman = await import('camoufox-js/dist/pkgman.js');
    return () => pkgman.camoufoxPath();
  }
  throw new Error(`unknown action ${action}`);
}

const run = await prepare();
const started = performance.now();
let report: GuardedReport;
try {
  await run();
  report = { outcome: 'returned', elapsedMs: performance.now() - started, networkAttempts, unhandledRejections };
} catch (error) {
  report = {
    outcome: 'threw',
    errorName: (error as Error).name,
    message: (error as Error).message,
    elapsedMs: performance.now() - started,
    networkAttempts,
    unhandledRejections,
  };
}
await new Promise((resolve) => setTimeout(resolve, settleMs));
process.stdout.write(`${JSON.stringify(report)}\n`);
// camoufox-js's own download loop keeps retrying with 5 s pauses; the report is written.
process.exit(0);
