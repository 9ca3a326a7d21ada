import { createRequire } from 'node:module';
import type { AutocannonResult } from './load-figures.ts';

/** autocannon ships no types; this is the little of its API used here. */
type Autocannon = (options: Record<string, unknown>) => PromiseLike<AutocannonResult> & { stop(): void };
/** Loaded on first use: only `tally load` and the benches need it, and every `tally` command would pay its load. */
const loadAutocannon = () => createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadShape {
  /** `http://host:port` of the service. */
  url: string;
  connections: number;
  durationS: number;
  /** The job each request asks for. */
  body: { store: string; pages: number };
  /** Seconds a request may go unanswered before autocannon counts a timeout. */
  timeoutS: number;
  headers?: Record<string, string>;
  /** Aborting it ends the load early (what was measured is kept). */
  signal?: AbortSignal;
}

/** `POST /jobs` on `connections` connections for `durationS` seconds, with autocannon's programmatic API. */
export async function driveLoad(shape: LoadShape): Promise<AutocannonResult> {
  const instance = loadAutocannon()({
    url: `${shape.url}/jobs`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...shape.headers },
    body: JSON.stringify(shape.body),
    connections: shape.connections,
    duration: shape.durationS,
    timeout: shape.timeoutS,
  });
  const stop = () => instance.stop();
  shape.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await instance;
  } finally {
    shape.signal?.removeEventListener('abort', stop);
  }
}
