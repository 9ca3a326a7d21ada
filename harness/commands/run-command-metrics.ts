import { InputError } from '../errors.ts';
import { createMetricsObserver, type MetricsObserver } from '../telemetry/metrics/metrics-observer.ts';

/** `tally run --metrics-port N [--metrics-hold SECONDS] [--metrics-host ADDR]`, parsed. */
export interface MetricsArgs {
  /** 0: any free port. */
  port: number;
  holdSeconds: number;
  /** Default 127.0.0.1. A container reaches the host through its bridge, so on Linux Docker needs 0.0.0.0 (see docs/observability.md). */
  host: string;
}

export interface RunCommandMetrics extends MetricsObserver {
  /** After the report is out: wait out the hold (Ctrl-C ends it), saying so on stderr. */
  held(): Promise<void>;
}

/** Undefined when no `--metrics-port` was given; the other two options need it. */
export function parseMetricsArgs(port: string | undefined, hold: string | undefined, host: string | undefined): MetricsArgs | undefined {
  if (port === undefined) {
    const orphan = hold !== undefined ? '--metrics-hold' : host !== undefined ? '--metrics-host' : undefined;
    if (orphan) throw new InputError(`${orphan}: only with --metrics-port (no metrics are served without it)`);
    return undefined;
  }
  const portNumber = parsePortNumber('--metrics-port', port);
  const holdSeconds = hold === undefined ? 0 : Number(hold);
  if (hold !== undefined && (hold.trim() === '' || !Number.isFinite(holdSeconds) || holdSeconds < 0))
    throw new InputError(`--metrics-hold ${hold}: expected seconds, 0 or more`);
  if (host !== undefined && host.trim() === '')
    throw new InputError('--metrics-host: expected an address to listen on, e.g. 127.0.0.1 or 0.0.0.0');
  return { port: portNumber, holdSeconds, host: host ?? '127.0.0.1' };
}

/** A port given on the command line: 0 to 65535, 0 meaning any free port. */
export function parsePortNumber(flag: string, text: string): number {
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InputError(`${flag} ${text}: expected a port number, 0 to 65535 (0: any free port)`);
  return port;
}

/**
 * Serve the run's metrics and print where on stderr. It stops by itself after the hold; the
 * caller still calls `stop()` in a `finally`, so a run that fails before it starts does not leave
 * the server up.
 */
export async function startRunMetrics(args: MetricsArgs, signal: AbortSignal): Promise<RunCommandMetrics> {
  const holdMs = args.holdSeconds * 1000;
  const observer = await createMetricsObserver({ port: args.port, host: args.host, holdMs, signal });
  process.stderr.write(`metrics: ${observer.url}\n`);
  return {
    ...observer,
    async held() {
      if (holdMs > 0 && !signal.aborted)
        process.stderr.write(`serving the final metrics at ${observer.url} for ${args.holdSeconds} s (Ctrl-C to stop)\n`);
      await observer.stopped;
    },
  };
}
