import type { IHeapEdge, IHeapNode, IHeapSnapshot } from '@memlab/api';
import { type Memlab, quietMemlab } from './memlab.ts';

/**
 * Leaks of the pool under test, from memlab's three snapshots. memlab parses the snapshots and
 * computes the dominator tree and retained sizes; what its built-in filters look for (detached DOM,
 * React fibers) does not exist in a Node process, so the filter is ours:
 *
 * - leaked: allocated after the baseline, present at the target (ids new since the baseline) and
 *   still alive at the final snapshot, when the pool is closed and idle;
 * - the pool's: reachable from the pool object or its module's scope (held as `poolUnderTest` and
 *   `poolFactory` while the final snapshot is written) without going through the harness: the
 *   pool's `env` (driver, clock, report), the recorder, the history, checkers and telemetry;
 * - clustered by retainer path from the pool to the topmost leaked object on it, with index and
 *   key names folded, so 23 orphan locks are one cluster of count 23;
 * - and a browser the pool held at the target snapshot, let go of by the final one without
 *   closing it, still alive in the driver's table of live browsers: clustered by its path at the
 *   target, the reference the pool dropped (an orphan lock swept away with its browser still open).
 */
export interface LeakCluster {
  /** The retainer path from the pool: `LegacyBrowserService`, `#locks → SessionLockRegistry`, ... */
  path: string[];
  /** Leaked objects at the end of this path (each may retain many more). */
  count: number;
  /** What they retain together, in bytes (memlab's dominator-tree retained sizes). */
  retainedBytes: number;
  /** Leaked objects in total under them, the roots included. */
  objects: number;
  /** The path on to the largest leaked object under them (what the leak costs: a browser, a page). */
  largest: string[];
  largestBytes: number;
  /**
   * `target`: the path is where the pool held these browsers at the target snapshot; by the final
   * one it had let go of them without closing them, so only the driver still holds them.
   */
  heldAt?: 'target';
}

export interface LeakAnalysis {
  /** Objects allocated between baseline and target, alive at final, held by the pool. */
  leakedObjects: number;
  leakedBytes: number;
  clusters: LeakCluster[];
  /** Roots the pool was found from: an analysis that finds none cannot say the pool is clean. */
  poolRoots: string[];
  ms: number;
}

/** Edges the search from the pool does not follow: into the harness, or into V8's shared machinery. */
const HARNESS_EDGES = new Set(['env', 'driver', 'clock', 'report', 'recorder', 'events', 'random', 'signal']);
const ENGINE_EDGES = new Set([
  'map',
  // A constructor's object shape and the optimized code that depends on it: the JIT's state, which
  // changes as code warms up, not anything the program keeps.
  'initial_map',
  'dependent_code',
  '__proto__',
  'prototype',
  'constructor',
  'shared',
  'code',
  'feedback_cell',
  'feedback_vector',
  'script',
  'native_context',
  'global_proxy',
  'global',
  'boilerplate',
]);
/** Everyone's: the global scope, the module system, captured stack frames. The pool's scope ends there. */
const SHARED_NODES = new Set([
  'system / NativeContext',
  'global',
  'process',
  'system / SourceTextModule',
  'system / CallSiteInfo',
  'ModuleLoader',
  'ModuleWrap',
  'ModuleJob',
]);
/** The drivers' browser objects; the drivers keep the live ones in `#browsers` (their ground truth). */
const BROWSER_CLASSES = new Set(['SimBrowser', 'RecordedBrowser']);
const DRIVER_CLASSES = new Set(['SimDriver', 'PlaywrightDriver']);
const LIVE_BROWSERS_EDGE = '#browsers';

/** Harness classes whose instances the pool may reach (through a browser's handle, a job): their insides are the harness's. */
const HARNESS_CLASSES = new Set([
  'SimDriver',
  'VirtualClock',
  'Recorder',
  'DriverEvents',
  'NdjsonSink',
  'HeapSnapshots',
  'PlaywrightDriver',
]);

export async function findPoolLeaks(files: { baseline: string; target: string; final: string }): Promise<LeakAnalysis> {
  const start = performance.now();
  return quietMemlab((memlab) => analyse(memlab, files, start));
}

async function analyse(memlab: Memlab, files: { baseline: string; target: string; final: string }, start: number): Promise<LeakAnalysis> {
  const { config } = memlab.api;
  // Baseline and target are needed for their object ids alone: memlab reads just the ids, without
  // building the graph, which is most of the cost of a snapshot.
  const baselineIds = await memlab.nodeIdsOf(files.baseline);
  const targetIds = await memlab.nodeIdsOf(files.target);
  // Retained sizes as if the harness did not hold anything: a browser the pool leaked is also in the
  // driver's table of live browsers (the stand-in for the process table), which would otherwise
  // share its dominator with the pool's lock and leave the lock retaining a few bytes.
  const previous = config.externalLeakFilter;
  config.externalLeakFilter = { retainerReferenceFilter: (edge) => !HARNESS_CLASSES.has(edge.fromNode.name) };
  let final: IHeapSnapshot;
  try {
    final = await memlab.api.getFullHeapFromFile(files.final);
  } finally {
    config.externalLeakFilter = previous;
  }
  const roots = poolRoots(final);
  const parent = reachableFrom(roots);
  const isLeaked = (id: number) => targetIds.has(id) && !baselineIds.has(id);
  // A cluster's root is the topmost leaked object on its path: its parent was not leaked.
  const topOf = (id: number): number => {
    let top = id;
    for (let step = parent.get(top); step?.edge && isLeaked(step.edge.fromNode.id); step = parent.get(top)) top = step.edge.fromNode.id;
    return top;
  };

  let leakedObjects = 0;
  const clusters = new Map<string, LeakCluster>();
  const clusterOfTop = new Map<number, LeakCluster>();
  for (const id of parent.keys()) {
    if (!isLeaked(id)) continue;
    leakedObjects++;
    const top = topOf(id);
    let cluster = clusterOfTop.get(top);
    if (!cluster) {
      const path = pathFromPool(top, parent);
      const key = path.join('\n');
      cluster = clusters.get(key) ?? { path, count: 0, retainedBytes: 0, objects: 0, largest: path, largestBytes: 0 };
      clusters.set(key, cluster);
      clusterOfTop.set(top, cluster);
      cluster.count++;
    }
    cluster.objects++;
    const { node } = parent.get(id)!;
    const size = node.retainedSize;
    // What the leaked objects retain together: each counted once, at the top of the dominator tree they form.
    const dominator = node.dominatorNode;
    if (!dominator || !isLeaked(dominator.id)) cluster.retainedBytes += size;
    if (id !== top && size > cluster.largestBytes) {
      cluster.largestBytes = size;
      cluster.largest = pathFromPool(id, parent);
    }
  }
  // Browsers the closed pool let go of alive: only then is the target's graph needed, for where the pool held them.
  const dropped = liveBrowsers(final).filter((browser) => !parent.has(browser.id) && isLeaked(browser.id));
  const browserPaths = dropped.length > 0 ? await browserPathsAt(memlab, files.target) : new Map<number, string[]>();
  for (const cluster of droppedBrowsers(dropped, browserPaths)) {
    clusters.set(`target\n${cluster.path.join('\n')}`, cluster);
    leakedObjects += cluster.count;
  }
  const sorted = [...clusters.values()].sort((a, b) => b.retainedBytes - a.retainedBytes);
  return {
    leakedObjects,
    leakedBytes: sorted.reduce((sum, cluster) => sum + cluster.retainedBytes, 0),
    clusters: sorted,
    poolRoots: roots.map((root) => root.name),
    ms: Math.round(performance.now() - start),
  };
}

/** The path from the pool to each browser it held in the target snapshot. */
async function browserPathsAt(memlab: Memlab, file: string): Promise<Map<number, string[]>> {
  const parent = reachableFrom(poolRoots(await memlab.api.getHeapFromFile(file)));
  const browserPaths = new Map<number, string[]>();
  for (const [id, { node }] of parent) if (BROWSER_CLASSES.has(node.name)) browserPaths.set(id, pathFromPool(id, parent));
  return browserPaths;
}

/**
 * Browsers the pool held at the target (`browserPaths`), leaked, that the closed pool no longer
 * reaches but that the driver still lists as live (`dropped`): one cluster per path at the target.
 */
function droppedBrowsers(dropped: IHeapNode[], browserPaths: Map<number, string[]>): LeakCluster[] {
  const clusters = new Map<string, LeakCluster>();
  for (const browser of dropped) {
    const path = browserPaths.get(browser.id);
    if (!path) continue;
    const key = path.join('\n');
    const cluster = clusters.get(key) ?? { path, count: 0, retainedBytes: 0, objects: 0, largest: path, largestBytes: 0, heldAt: 'target' };
    clusters.set(key, cluster);
    cluster.count++;
    cluster.objects++;
    cluster.retainedBytes += browser.retainedSize;
    cluster.largestBytes = Math.max(cluster.largestBytes, browser.retainedSize);
  }
  return [...clusters.values()];
}

/** The browser objects in the drivers' tables of live browsers: a few steps into each `#browsers` map. */
function liveBrowsers(snapshot: IHeapSnapshot): IHeapNode[] {
  const found = new Map<number, IHeapNode>();
  snapshot.nodes.forEach((node) => {
    if (!DRIVER_CLASSES.has(node.name)) return;
    let level = [node.getReferenceNode(LIVE_BROWSERS_EDGE)].filter((map) => map !== null);
    // Map → its hash table → the entries: three steps reach every value.
    for (let depth = 0; depth < 3 && level.length > 0; depth++) {
      const next: IHeapNode[] = [];
      for (const at of level)
        at.forEachReference((edge) => {
          if (BROWSER_CLASSES.has(edge.toNode.name)) found.set(edge.toNode.id, edge.toNode);
          else if (edge.type !== 'weak' && !ENGINE_EDGES.has(String(edge.name_or_index))) next.push(edge.toNode);
        });
      level = next;
    }
  });
  return [...found.values()];
}

/** The closed pool and its module's factory, as the harness held them while the final snapshot was written. */
function poolRoots(snapshot: IHeapSnapshot): IHeapNode[] {
  const roots: IHeapNode[] = [];
  snapshot.nodes.forEach((node) => {
    if (node.name !== 'HeapSnapshots') return;
    for (const name of ['poolUnderTest', 'poolFactory']) {
      const root = node.getReferenceNode(name, 'property');
      if (root && root.type !== 'hidden') roots.push(root);
    }
  });
  return roots;
}

type Reached = Map<number, { node: IHeapNode; edge: IHeapEdge | null }>;

/** Breadth-first from the roots: each reachable object, by id, with the edge it was first reached by (null for a root). */
function reachableFrom(roots: IHeapNode[]): Reached {
  const parent: Reached = new Map();
  let queue: IHeapNode[] = [];
  for (const root of roots) {
    if (parent.has(root.id)) continue;
    parent.set(root.id, { node: root, edge: null });
    queue.push(root);
  }
  while (queue.length > 0) {
    const next: IHeapNode[] = [];
    for (const node of queue) {
      if (HARNESS_CLASSES.has(node.name)) continue;
      node.forEachReference((edge) => {
        if (!follows(edge)) return;
        const to = edge.toNode;
        if (parent.has(to.id)) return;
        parent.set(to.id, { node: to, edge });
        next.push(to);
      });
    }
    queue = next;
  }
  return parent;
}

function follows(edge: IHeapEdge): boolean {
  if (edge.type === 'weak' || edge.type === 'shortcut') return false;
  const name = String(edge.name_or_index);
  if (HARNESS_EDGES.has(name) || ENGINE_EDGES.has(name)) return false;
  const to = edge.toNode;
  // The global scope is everyone's: the pool's module scope ends at it.
  if (SHARED_NODES.has(to.name)) return false;
  return to.type !== 'code' && to.type !== 'synthetic';
}

/** `Class`, then `edge → Class` per step, with element indices and map entries folded so that siblings cluster. */
function pathFromPool(id: number, parent: Reached): string[] {
  const steps: string[] = [];
  for (let step = parent.get(id); step; step = step.edge ? parent.get(step.edge.fromNode.id) : undefined) {
    steps.push(step.edge ? `${edgeLabel(step.edge)} → ${nodeLabel(step.node)}` : nodeLabel(step.node));
  }
  return steps.reverse();
}

function edgeLabel(edge: IHeapEdge): string {
  const name = edge.name_or_index;
  if (typeof name === 'number' || /^\d+$/.test(name)) return '[i]';
  // Hash-table slots of a Map or Set name their position or their key: all are one entry.
  if (edge.type === 'internal' && / \/ /.test(name)) return '[entry]';
  return name;
}

function nodeLabel(node: IHeapNode): string {
  if (node.type === 'string' || node.type === 'concatenated string' || node.type === 'sliced string') return '(string)';
  if (node.type === 'closure') return `${node.name || 'anonymous'}()`;
  if (node.type === 'object' || node.type === 'native') return node.name;
  return `(${node.type}) ${node.name}`.trim().slice(0, 60);
}
