import { rmSync, statfsSync, statSync } from 'node:fs';
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

/** What a snapshot may cost on disk (the scenario's `heap.maxSnapshotMB` and `heap.keepFreeMB`). */
export interface SnapshotLimits {
  /** A snapshot larger than this is not kept (nor taken, when its estimate is already larger). */
  maxSnapshotMB: number;
  /** Free space the snapshot must leave on the run folder's disk. */
  keepFreeMB: number;
}

/**
 * A V8 snapshot file is about this many times the used heap it describes: 1.3× for a heap of
 * large arrays, 1.8× for one of many small objects (measured on Node 20). The estimate errs large:
 * a snapshot refused for want of room is cheaper than a disk filled halfway through one.
 */
export const SNAPSHOT_BYTES_PER_HEAP_BYTE = 2;

/** A snapshot not taken because the disk or the cap has no room for it: said, not failed. */
export class SnapshotRefused extends Error {}

/** The run folder's name for a point's snapshot. */
export function snapshotFileName(point: HeapPoint): string {
  return `heap-${point}.heapsnapshot`;
}

/**
 * A full GC, then a V8 heap snapshot of this process (the one that holds the pool) written to
 * `dir`. Synchronous: the process does nothing else while it is written, so under the sim no
 * virtual time passes and the run's history is the same with or without snapshots. Refused
 * (SnapshotRefused) before writing when its estimated size is over the cap or would leave the disk
 * with less free space than the limits keep; a file that still comes out over the cap is removed.
 */
export function takeHeapSnapshot(dir: string, point: HeapPoint, limits: SnapshotLimits): TakenSnapshot {
  const gcMs = timedGc();
  const heapUsedMB = getHeapStatistics().used_heap_size / 1e6;
  refuseWithoutRoom(dir, heapUsedMB * SNAPSHOT_BYTES_PER_HEAP_BYTE, limits);
  const file = snapshotFileName(point);
  const start = performance.now();
  writeHeapSnapshot(join(dir, file));
  const writeMs = performance.now() - start;
  const sizeMB = writtenSizeMB(dir, file, limits);
  return { point, file, sizeMB, heapUsedMB, gcMs, writeMs };
}

/** A written snapshot's size; over the cap it is removed and SnapshotRefused thrown. */
export function writtenSizeMB(dir: string, file: string, limits: SnapshotLimits): number {
  const sizeMB = statSync(join(dir, file)).size / 1e6;
  if (sizeMB > limits.maxSnapshotMB) {
    rmSync(join(dir, file), { force: true });
    throw new SnapshotRefused(`${mb(sizeMB)} written, over the cap of ${mb(limits.maxSnapshotMB)} (heap.maxSnapshotMB): removed`);
  }
  return sizeMB;
}

/** Throws SnapshotRefused, in one line naming the figures, when a snapshot of `estimateMB` does not fit. */
export function refuseWithoutRoom(dir: string, estimateMB: number, limits: SnapshotLimits): void {
  if (estimateMB > limits.maxSnapshotMB)
    throw new SnapshotRefused(`it would be about ${mb(estimateMB)}, over the cap of ${mb(limits.maxSnapshotMB)} (heap.maxSnapshotMB)`);
  const stats = statfsSync(dir);
  const freeMB = (stats.bavail * stats.bsize) / 1e6;
  if (freeMB - estimateMB < limits.keepFreeMB)
    throw new SnapshotRefused(
      `disk short: ${mb(freeMB)} free in ${dir}, a snapshot needs about ${mb(estimateMB)} and ${mb(limits.keepFreeMB)} must stay free (heap.keepFreeMB)`,
    );
}

function mb(value: number): string {
  return `${Math.round(value)} MB`;
}
