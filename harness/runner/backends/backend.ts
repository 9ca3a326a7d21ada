import type { Clock } from '../../clock/clock.ts';
import type { Driver } from '../../drivers/types.ts';
import type { DriveOptions, DriveOutcome } from '../drive-virtual.ts';

/**
 * What runs the browsers of a run and keeps its time: the simulation (virtual time, the sim
 * driver) or real browsers (real time read in scenario time, Playwright, the target site, the
 * OS's processes). The runner, the pool, the workload and the checkers are the same for both.
 */
export interface Backend {
  readonly clock: Clock;
  readonly driver: Driver;
  /** Where the jobs' review pages live. */
  readonly origin: string;
  /** Real ms per scenario ms (1 under sim). */
  readonly timeScale: number;
  /** Real drivers: the id every process of the run carries. */
  readonly runId?: string;
  /** Drive the run until `until` settles, recording settled points. */
  drive(options: DriveOptions): Promise<DriveOutcome>;
  /** Shortest scenario time to allow for closing the pool (real browsers need real seconds). */
  closeAllowanceMs(scenarioMs: number): number;
  /** Record the ground truth now (every `sampleEveryMs`). */
  sample(): void;
  /** Just before `run.quiescent`: let closed browsers finish exiting, then record what remains. */
  beforeQuiescent(): Promise<void>;
  /** After the run: kill what is left, stop servers, clear timers. Never throws. */
  teardown(): Promise<void>;
}
