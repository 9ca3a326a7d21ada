import { statSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { timedGc } from './gc.ts';

/** memlab's three points: after warm-up, after the fault phase, after the workload stopped and the pool closed. */
export const HEAP_POINTS = ['baseline', 'target', 'final'] as const;
export type HeapPoint = (typeof HEAP_POINTS)[number];

export interface TakenSnapshot {
  point: HeapPoint;
  /** File name inside the run folder. */
  file: string;
  sizeMB: number;
  /** Used heap after the collection that preceded the snapshot. */
  heapUsedMB: number;
  gcMs: number;
  writeMs: number;
}

/** The run folder's name for a point's snapshot. */
export function snapshotFileName(point: HeapPoint): string {
  return `heap-${point}.heapsnapshot`;
}

/**
 * A full GC, then a V8 heap snapshot of this process (the one that holds the pool) written to
 * `dir`. Synchronous: the process does nothing else while it is written, so under the sim no
 * virtual time passes and the run's history is the same with or without snapshots.
 */
export function takeHeapSnapshot(dir: string, point: HeapPoint): TakenSnapshot {
  const gcMs = timedGc();
  const heapUsedMB = getHeapStatistics().used_heap_size / 1e6;
  const file = snapshotFileName(point);
  const start = performance.now();
  writeHeapSnapshot(join(dir, file));
  const writeMs = performance.now() - start;
  return { point, file, sizeMB: statSync(join(dir, file)).size / 1e6, heapUsedMB, gcMs, writeMs };
}
