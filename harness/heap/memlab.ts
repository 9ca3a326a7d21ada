import { createRequire } from 'node:module';

/**
 * memlab, loaded on first use. It brings puppeteer and takes one to three seconds to load, which
 * every `tally` command (and every service, every test that starts one) would otherwise pay at
 * start, heap snapshots or not.
 */
type MemlabApi = typeof import('@memlab/api');

export interface Memlab {
  api: MemlabApi;
  /** The lightweight parse that reads a snapshot's object ids without building its graph. */
  nodeIdsOf(file: string): Promise<{ has(id: number): boolean }>;
}

/** memlab's `ErrorHandling.Throw` (@memlab/core's enum, which @memlab/api does not export). */
const ERROR_HANDLING_THROW = 2;

let loaded: Memlab | undefined;

/**
 * Both are CommonJS: required, so each is its `module.exports` whatever the loader (Node's ESM
 * loader detects none of @memlab/core's named exports, and loaders disagree on its default).
 */
function loadMemlab(): Memlab {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const api = require('@memlab/api') as MemlabApi;
  const core = require('@memlab/core') as typeof import('@memlab/core');
  loaded = { api, nodeIdsOf: (file) => core.utils.getSnapshotNodeIdsFromFile(file, {}) };
  return loaded;
}

/**
 * Runs memlab calls muted (memlab prints its progress to stdout; the caller reports what was found)
 * and throwing: memlab's default on a snapshot it cannot parse is process.exit(1), which would cost
 * the run its report.
 */
export async function quietMemlab<R>(call: (memlab: Memlab) => Promise<R>): Promise<R> {
  const memlab = loadMemlab();
  const { config } = memlab.api;
  const muted = config.muteConsole;
  const handling = config.errorHandling;
  config.muteConsole = true;
  config.errorHandling = ERROR_HANDLING_THROW as typeof config.errorHandling;
  try {
    return await call(memlab);
  } finally {
    config.muteConsole = muted;
    config.errorHandling = handling;
  }
}
