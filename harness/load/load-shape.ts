import { InputError } from '../errors.ts';
import { seededRandom } from '../random.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { LoadShape } from './drive-load.ts';
import { tokenHeaders } from './token-headers.ts';

/** A request autocannon gives up on: longer than any job of the shipped scenarios at their time scale. */
const REQUEST_TIMEOUT_S = 60;

/** What the command line may change of the scenario's shape. */
export interface ShapeOverrides {
  connections: number | undefined;
  durationS: number | undefined;
  /** `--requests`: this many requests, however long they take, instead of a duration. */
  requests?: number | undefined;
  /** `--pages`: every body of the mix asks for this many pages. */
  pages: number | undefined;
}

/**
 * The load a scenario gives: its concurrency as connections, its duration at its time scale, its
 * `load.rate` and `load.mix` (by default one body, store-1 with `pagesPerJob` pages), the mix drawn
 * from the run's seed. The bearer token, when the service has one, goes with every request.
 */
export function loadShapeOf(scenario: Scenario, given: ShapeOverrides, seed: number): Omit<LoadShape, 'url' | 'signal'> {
  const mix = scenario.load.mix ?? [{ store: 'store-1', pages: scenario.workload.pagesPerJob, weight: 1 }];
  if (given.requests !== undefined && given.durationS !== undefined)
    throw new InputError('--requests and --duration: one at a time (a load of N requests lasts until they are answered)');
  return {
    ...(given.requests === undefined ? {} : { requests: given.requests }),
    connections: given.connections ?? scenario.workload.concurrency,
    durationS: given.durationS ?? Math.max(1, Math.round((scenario.durationMs * scenario.real.timeScale) / 1000)),
    rate: scenario.load.rate,
    mix: given.pages === undefined ? mix : mix.map((body) => ({ ...body, pages: given.pages! })),
    // A stream of its own: the service's run draws from the same seed.
    random: seededRandom(seed).fork(4),
    timeoutS: REQUEST_TIMEOUT_S,
    headers: tokenHeaders(),
  };
}

/** How long a load lasts, as its progress line says it. */
export function loadSpan(shape: Pick<LoadShape, 'durationS' | 'requests'>): string {
  return shape.requests === undefined ? `for ${shape.durationS} s` : `until ${shape.requests} requests are answered`;
}
