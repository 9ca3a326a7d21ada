import type { PageHeaps } from '../drivers/types.ts';
import type { EventData } from '../history/events.ts';
import { hundredths } from './heap-sample.ts';
import type { PageLeaks } from './page-leaks.ts';
import { PageSnapshots } from './page-snapshots.ts';
import { type HeapPoint, type SnapshotLimits, SnapshotRefused, type TakenSnapshot, takeHeapSnapshot } from './take-snapshot.ts';

export interface HeapSnapshotPlan {
  /** Scenario time of the baseline snapshot (the end of the warm-up). */
  baselineMs: number;
  /** Scenario time of the target snapshot (the end of the fault phase). */
  targetMs: number;
  /** Folder the snapshots are written to (the run folder). */
  dir: string;
  limits: SnapshotLimits;
}

export type HeapSnapshotEvent = EventData['heap.snapshot'];

/**
 * Takes the run's three snapshots at their times: `atSettled(now)` at every settled point of the
 * drive loop (the baseline and the target, once their time has come), `final()` once the pool is
 * closed. A snapshot that fails is recorded with its error, one refused (no room on the disk, over
 * the cap) or never reached with why; the run goes on, and `missing` says what the analysis lacks.
 */
export class HeapSnapshots {
  readonly taken: TakenSnapshot[] = [];
  /** Points with no snapshot, and why. */
  readonly missing = new Map<HeapPoint, string>();
  #pending: { point: HeapPoint; atMs: number }[];
  /**
   * The pool and its module's `createPool`, exposed under these names only while a snapshot is
   * written, so that what the pool holds is reachable from one known place in every snapshot
   * (retainer paths start here), whatever the caller's frame keeps. The factory's closure scope is
   * the module's, where a module-level collection lives.
   */
  poolUnderTest: unknown;
  poolFactory: unknown;
  #pool: unknown;
  #factory: unknown;
  /** The browser pages' snapshots at the same points, or why the driver has none. */
  readonly #pages: PageSnapshots | { unavailable: string };

  constructor(
    private readonly plan: HeapSnapshotPlan,
    private readonly record: (event: HeapSnapshotEvent) => void,
    pageHeaps: PageHeaps | { unavailable: string } = { unavailable: 'not available (no driver given)' },
  ) {
    this.#pages = 'unavailable' in pageHeaps ? pageHeaps : new PageSnapshots(pageHeaps, plan.dir, plan.limits);
    this.#pending = [
      { point: 'baseline', atMs: plan.baselineMs },
      { point: 'target', atMs: Math.max(plan.targetMs, plan.baselineMs) },
    ];
  }

  /** The pool under test and its factory, as soon as the pool exists. */
  hold(pool: unknown, poolFactory: unknown): void {
    this.#pool = pool;
    this.#factory = poolFactory;
  }

  /**
   * One point per settled point, even when several are due: on a starved machine settled points
   * come seldom, and one that took the baseline and the target together would leave nothing
   * allocated between them to find.
   */
  atSettled(now: number): void {
    if (this.#pending.length > 0 && this.#pending[0]!.atMs <= now) this.#take(this.#pending.shift()!.point);
  }

  /** The workload stopped and the pool closed: any point not reached yet (a short run) is skipped. */
  final(): void {
    for (const { point } of this.#pending.splice(0)) this.#skip(point, 'the run ended before its time');
    this.#take('final');
    // The harness holds the pool no longer than the run does.
    this.#pool = undefined;
    this.#factory = undefined;
  }

  /** Waits for the page snapshots under way (they are taken while the run goes on). */
  async pagesSettled(): Promise<void> {
    if (this.#pages instanceof PageSnapshots) await this.#pages.settled();
  }

  /** What each followed page leaked, or why it was not analysed; or why the driver has no page heaps. */
  analysePages(keep: boolean): Promise<PageLeaks> {
    const pages = this.#pages;
    return pages instanceof PageSnapshots ? pages.analyse(keep) : Promise.resolve({ unavailable: pages.unavailable, pages: [] });
  }

  #take(point: HeapPoint): void {
    if (this.#pages instanceof PageSnapshots) this.#pages.take(point);
    this.poolUnderTest = this.#pool;
    this.poolFactory = this.#factory;
    try {
      const snapshot = takeHeapSnapshot(this.plan.dir, point, this.plan.limits);
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
      const message = (error as Error).message;
      if (error instanceof SnapshotRefused) return this.#skip(point, message);
      this.missing.set(point, `failed: ${message}`);
      this.record({ point, error: message });
    } finally {
      this.poolUnderTest = undefined;
      this.poolFactory = undefined;
    }
  }

  #skip(point: HeapPoint, why: string): void {
    this.missing.set(point, `not taken: ${why}`);
    this.record({ point, skipped: why });
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
    heap: { at?: [number, number] | undefined; maxSnapshotMB: number; keepFreeMB: number };
  },
  dir: string,
): HeapSnapshotPlan {
  const [baselineMs, targetMs] = scenario.heap.at ?? [
    Math.min(scenario.workload.rampMs + scenario.sim.launchMs + scenario.sampleEveryMs, scenario.durationMs),
    scenario.durationMs,
  ];
  return { baselineMs, targetMs, dir, limits: { maxSnapshotMB: scenario.heap.maxSnapshotMB, keepFreeMB: scenario.heap.keepFreeMB } };
}
