import type { Registry } from 'prom-client';
import type { RunObserver } from '../../observer/run-observer.ts';
import { runExposition } from './exposition.ts';
import { type MetricsServer, startMetricsServer } from './metrics-server.ts';
import { RunMetrics } from './run-metrics.ts';

export interface MetricsObserverOptions {
  /** Serve `/metrics` on 127.0.0.1 at this port (0: any free port). Without it nothing is served. */
  port?: number;
  host?: string;
  /**
   * After the run ends, keep serving the final values this long, so a scraper sees them (a sim run
   * can be over before the first scrape). Default 0: stop when the run ends.
   */
  holdMs?: number;
  /** Aborting it ends the hold at once (Ctrl-C); if it is already aborted when the run ends, there is no hold. */
  signal?: AbortSignal;
}

export interface MetricsObserver extends RunObserver {
  /** The metrics page, when served. */
  readonly url: string | undefined;
  readonly metrics: RunMetrics;
  /** The page as a scraper would get it now. */
  render(): Promise<string>;
  /** prom-client's registry of the run's metrics (a service merges its own with it). */
  readonly registry: Registry;
  /** Settles once the server is closed: when the run has ended and the hold is over, or at `stop()`. */
  readonly stopped: Promise<void>;
  /** Close the server now (no hold). Safe to call more than once, and before the run ends. */
  stop(): Promise<void>;
}

/**
 * A RunObserver that keeps a run's Prometheus metrics (see METRICS) and serves them. `close()` (the
 * run has ended) starts the hold and returns at once, so the report is not delayed; await `stopped`
 * before exiting, and call `stop()` in a `finally`, so the server never outlives the run.
 */
export async function createMetricsObserver(options: MetricsObserverOptions = {}): Promise<MetricsObserver> {
  const metrics = new RunMetrics();
  const { render, registry } = runExposition(metrics);
  const server: MetricsServer | undefined =
    options.port === undefined
      ? undefined
      : await startMetricsServer({ port: options.port, ...(options.host ? { host: options.host } : {}), render });

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let holdTimer: NodeJS.Timeout | undefined;
  const onAbort = () => void stop();
  const stop = async () => {
    clearTimeout(holdTimer);
    options.signal?.removeEventListener('abort', onAbort);
    await server?.close();
    resolveStopped();
  };

  return {
    url: server?.url,
    metrics,
    render,
    registry,
    stopped,
    stop,
    event: (event) => metrics.event(event),
    violation: (violation) => metrics.violation(violation),
    close() {
      const holdMs = options.holdMs ?? 0;
      if (server === undefined || holdMs <= 0 || options.signal?.aborted) return void stop();
      holdTimer = setTimeout(() => void stop(), holdMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    },
  };
}
