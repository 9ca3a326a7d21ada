import { createRequire } from 'node:module';
import type { Random } from '../random.ts';
import type { AutocannonResult, LoadRun } from './load-figures.ts';
import { type MixBody, mixPicker } from './request-mix.ts';

/** autocannon ships no types; this is the little of its API used here. */
type Autocannon = (options: Record<string, unknown>) => PromiseLike<AutocannonResult> & { stop(): void };
/** Loaded on first use: only `tally load` and the benches need it, and every `tally` command would pay its load. */
const loadAutocannon = () => createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadShape {
  /** `http://host:port` of the service. */
  url: string;
  connections: number;
  durationS: number;
  /** Send this many requests and stop once they are answered (autocannon's `amount`; `durationS` is then not used). */
  requests?: number | undefined;
  /** Requests per second over all connections; undefined: as fast as the connections go. */
  rate?: number | undefined;
  /** The jobs asked for: each request carries one, drawn by weight from `random`. */
  mix: readonly MixBody[];
  random: Random;
  /** Seconds a request may go unanswered before autocannon counts a timeout. */
  timeoutS: number;
  headers?: Record<string, string>;
  /** Aborting it ends the load early (what was measured is kept). */
  signal?: AbortSignal;
}

/** The per-connection state autocannon hands to `setupRequest` and `onResponse`: which body the request in flight carries. */
interface MixContext {
  body?: number;
}

/**
 * `POST /jobs` on `connections` connections for `durationS` seconds, with autocannon's programmatic
 * API: its `setupRequest` gives each request its body, its `onResponse` counts the answers per body.
 */
export async function driveLoad(shape: LoadShape): Promise<LoadRun> {
  const pick = mixPicker(shape.mix, shape.random);
  const bodies = shape.mix.map(({ store, pages }) => JSON.stringify({ store, pages }));
  const answered = shape.mix.map(() => 0);
  const instance = loadAutocannon()({
    url: `${shape.url}/jobs`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...shape.headers },
    requests: [
      {
        setupRequest: (request: Record<string, unknown>, context: MixContext) => {
          context.body = pick();
          return { ...request, body: bodies[context.body] };
        },
        onResponse: (_status: number, _body: string, context: MixContext) => {
          if (context.body !== undefined) answered[context.body]!++;
        },
      },
    ],
    connections: shape.connections,
    duration: shape.durationS,
    ...(shape.requests === undefined ? {} : { amount: shape.requests }),
    timeout: shape.timeoutS,
    ...(shape.rate === undefined ? {} : { overallRate: shape.rate }),
  });
  const stop = () => instance.stop();
  shape.signal?.addEventListener('abort', stop, { once: true });
  try {
    return { result: await instance, answered };
  } finally {
    shape.signal?.removeEventListener('abort', stop);
  }
}
