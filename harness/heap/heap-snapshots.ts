import type { EventData } from '../history/events.ts';
import { hundredths } from './heap-sample.ts';
import { type HeapPoint, type TakenSnapshot, takeHeapSnapshot } from './take-snapshot.ts';

export interface HeapSnapshotPlan {
  /** Scenario time of the baseline snapshot (the end of the warm-up). */
  baselineMs: number;
  /** Scenario time of the target snapshot (the end of the fault phase). */
  targetMs: number;
  /** Folder the snapshots are written to (the run folder). */
  dir: string;
}

export type HeapSnapshotEvent = EventData['heap.snapshot'];

/**
 * Takes the run's three snapshots at their times: `atSettled(now)` at every settled point of the
 * drive loop (the baseline and the target, once their time has come), `final()` once the pool is
 * closed. A snapshot that fails is recorded with its error; the run goes on.
 */
export class HeapSnapshots {
  readonly taken: TakenSnapshot[] = [];
  #pending: { point: HeapPoint; atMs: number }[];
  /** The closed pool, held while the final snapshot is written (its retainer paths start here). */
  poolUnderTest: unknown;
  /** The pool module's `createPool`, held likewise: its closure scope is the module's, where a module-level collection lives. */
  poolFactory: unknown;

  constructor(
    private readonly plan: HeapSnapshotPlan,
    private readonly record: (event: HeapSnapshotEvent) => void,
  ) {
    this.#pending = [
      { point: 'baseline', atMs: plan.baselineMs },
      { point: 'target', atMs: Math.max(plan.targetMs, plan.baselineMs) },
    ];
  }

  atSettled(now: number): void {
    while (this.#pending.length > 0 && this.#pending[0]!.atMs <= now) this.#take(this.#pending.shift()!.point);
  }

  /**
   * The workload stopped and the pool closed: any point not reached yet (a short run) is skipped.
   * `pool` is held while the snapshot is written, so what the closed pool still retains is in it
   * under one name, whatever the caller's frame keeps alive.
   */
  final(pool: unknown, poolFactory?: unknown): void {
    for (const { point } of this.#pending.splice(0)) this.record({ point, skipped: 'the run ended before its time' });
    this.poolUnderTest = pool;
    this.poolFactory = poolFactory;
    try {
      this.#take('final');
    } finally {
      this.poolUnderTest = undefined;
      this.poolFactory = undefined;
    }
  }

  #take(point: HeapPoint): void {
    try {
      const snapshot = takeHeapSnapshot(this.plan.dir, point);
      this.taken.push(snapshot);
      this.record({
        point,
        file: snapshot.file,
        sizeMB: hundredths(snapshot.sizeMB),
        heapUsedMB: hundredths(snapshot.heapUsedMB),
        gcMs: hundredths(snapshot.gcMs),
        writeMs: hundredths(snapshot.writeMs),
      });
    } catch (error) {
      this.record({ point, error: (error as Error).message });
    }
  }
}

/**
 * The scenario's snapshot times: its own `heap.at`, or the end of the warm-up (the ramp, a launch
 * and a sample interval, as the memory slope starts) and the end of its duration.
 */
export function snapshotPlan(
  scenario: {
    durationMs: number;
    sampleEveryMs: number;
    workload: { rampMs: number };
    sim: { launchMs: number };
    heap: { at?: [number, number] | undefined };
  },
  dir: string,
): HeapSnapshotPlan {
  const [baselineMs, targetMs] = scenario.heap.at ?? [
    Math.min(scenario.workload.rampMs + scenario.sim.launchMs + scenario.sampleEveryMs, scenario.durationMs),
    scenario.durationMs,
  ];
  return { baselineMs, targetMs, dir };
}
