import { z } from 'zod';
import { FAULT_KINDS } from '../history/events.ts';
import { jobPages, storeName } from './job-fields.ts';

const ms = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();

/** A fault's fields, before the rules that tie them together (a strike over the admin channel takes some of them). */
export const FaultFields = z
  .object({
    /** stall: navigation never completes; crash: browser dies; pageCrash: the process rendering the
     *  browser's pages dies (the browser lives on); hang: browser stops answering for `forMs`;
     *  throw: the job's work throws; slowClose: the browser's next close takes `forMs`;
     *  launchFail: the driver's next launch (or `op: 'newPage'`: new page) rejects (after `forMs` as a timeout, when given);
     *  shutdown: `pool.close()` is called while jobs work, and no job starts after it;
     *  reset, serverError, challenge: the site answers the browser's next page with a connection
     *  reset, a 503 error page or a bot-challenge page. */
    kind: z.enum(FAULT_KINDS),
    /** Strike once at this time... */
    at: ms.optional(),
    /** ...or every `every` ms, between `from` and `until`. */
    every: positiveInt.optional(),
    from: ms.default(0),
    until: ms.optional(),
    /** Each strike happens with this probability (seeded). */
    probability: z.number().min(0).max(1).default(1),
    /** One random working session, or all of them. */
    target: z.enum(['one', 'all']).default('one'),
    /** How long a hang or a slow close lasts; for launchFail, the timeout after which the call fails. */
    forMs: ms.optional(),
    /** launchFail: which call fails, the next launch (default) or the next new page. */
    op: z.enum(['launch', 'newPage']).optional(),
    /**
     * Strike only once this many sessions are working: a strike whose time comes earlier waits for
     * them, and the next one is timed from the strike. Real browsers launch in 0.2 s or 10 s
     * depending on the machine's load; this keeps a fault on the jobs rather than on the wall clock.
     */
    afterWorking: positiveInt.optional(),
    /**
     * Strikes this fault must make for the run to pass. Default: every strike its schedule called
     * for during the run (none may find no working session), and at least one.
     */
    minStrikes: z.number().int().nonnegative().optional(),
  })
  .strict();

/** A hang or a slow close lasts for some time: without `forMs` it would have none. */
export function hasDuration(fault: { kind: string; forMs?: number | undefined }): boolean {
  return !['hang', 'slowClose'].includes(fault.kind) || fault.forMs !== undefined;
}

export const DURATION_RULE = { message: '`forMs` is required for hang and slowClose', path: ['forMs'] };

export const FaultSchema = FaultFields.refine((f) => (f.at === undefined) !== (f.every === undefined), {
  message: 'give exactly one of `at` or `every`',
}).refine(hasDuration, DURATION_RULE);

/**
 * How `tally load` drives the service (docs/service.md). Its connections are the workload's
 * `concurrency` and it lasts the scenario's duration at its time scale; without this block it asks
 * for one job (store-1, `pagesPerJob` pages) as fast as the connections go.
 */
const LoadSchema = z
  .object({
    /** Requests per second over all connections (autocannon's `overallRate`); without it, no limit. */
    rate: positiveInt.optional(),
    /** The jobs asked for, each request one of them chosen by weight with the run's seed, so a load is replayable. */
    mix: z
      .array(z.object({ store: storeName, pages: jobPages, weight: z.number().positive().default(1) }).strict())
      .min(1)
      .optional(),
  })
  .strict()
  .default({});

export type LoadShapeSpec = z.output<typeof LoadSchema>;

const HeapSchema = z
  .object({
    /**
     * Interval of `heap.sample` (used heap after a full GC); 0 turns it off. Default: the sample
     * interval, stretched so that a run takes about 12 (each costs a GC).
     */
    sampleEveryMs: ms.optional(),
    /** Take the three snapshots on every run of this scenario, as `--heap-snapshots` does. */
    snapshots: z.boolean().default(false),
    /**
     * Scenario times of the baseline and target snapshots (the final one is taken once the pool
     * is closed). Default: the end of the warm-up (ramp, a launch and a sample interval) and the
     * end of the scenario's duration, when the workload stops starting jobs and faults stop.
     */
    at: z
      .tuple([ms, ms])
      .refine(([baseline, target]) => baseline < target, { message: 'the baseline must come before the target' })
      .optional(),
    /** A snapshot estimated (2 × the used heap) or written larger than this is not kept. */
    maxSnapshotMB: z.number().positive().default(2048),
    /** A snapshot is refused when it would leave less free space than this on the run folder's disk. */
    keepFreeMB: z.number().nonnegative().default(512),
  })
  .strict()
  .default({ snapshots: false, maxSnapshotMB: 2048, keepFreeMB: 512 });

export const ScenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    description: z.string().min(1),
    /** Default seed; `--seed` overrides it. */
    seed: z.number().int().nonnegative().default(1),
    /** New jobs start until this much (virtual) time has passed. */
    durationMs: positiveInt,
    workload: z
      .object({
        /** Total jobs; without it, jobs keep starting until `durationMs`. */
        jobs: positiveInt.optional(),
        concurrency: positiveInt,
        pagesPerJob: positiveInt,
        /** Mean time to load one page. */
        pageMs: positiveInt,
        /** The first `concurrency` jobs start spread over this window (0: all at once). */
        rampMs: ms.default(10_000),
        /**
         * Callers that give up: every `every`-th job's caller aborts its `job.signal` after it
         * started, the k-th of them after `afterMs[k % length]`, so a short delay catches jobs
         * still waiting for a slot and a long one jobs at work.
         */
        abandon: z
          .object({ every: positiveInt, afterMs: z.array(ms).min(1) })
          .strict()
          .optional(),
      })
      .strict(),
    pool: z
      .object({
        maxBrowsers: positiveInt.default(50),
        watchdogMs: positiveInt,
        jitterMs: ms.default(30_000),
        sweepEveryMs: positiveInt.default(60_000),
        /** Most pages the pool opens in one browser, when it shares browsers (Crawlee's maxOpenPagesPerBrowser): checked by pages-per-browser. */
        maxPagesPerBrowser: positiveInt.optional(),
      })
      .strict(),
    faults: z.array(FaultSchema).default([]),
    sim: z
      .object({
        browserMB: z.number().positive().default(300),
        pageMB: z.number().nonnegative().default(25),
        launchMs: ms.default(800),
        closeMs: ms.default(150),
      })
      .strict()
      .default({ browserMB: 300, pageMB: 25, launchMs: 800, closeMs: 150 }),
    /**
     * How the scenario runs on real browsers (`--driver chromium|firefox|camoufox`). Every time in
     * the scenario is scenario time; a real run's clock turns `timeScale` real ms into one scenario
     * ms, so 1/30 plays 10 scenario minutes in 20 s and every figure still reads in scenario time.
     * Real browsers cost real cores and their pages take real time, so a real run usually plays
     * a shorter, smaller workload: `durationMs`, `workload` and `faults` replace the scenario's
     * own (a fault timed for the sim's 0.8 s launches can strike before a real browser is up).
     */
    real: z
      .object({
        timeScale: z.number().positive().max(1).default(1),
        durationMs: positiveInt.optional(),
        workload: z
          .object({
            jobs: positiveInt.optional(),
            concurrency: positiveInt.optional(),
            pagesPerJob: positiveInt.optional(),
            pageMs: positiveInt.optional(),
            rampMs: ms.optional(),
          })
          .strict()
          .default({}),
        faults: z.array(FaultSchema).optional(),
        /**
         * The pool's watchdog on real browsers. A real job's launch and first page take seconds on
         * a busy machine (a new page 5 to 8 s on two loaded cores): a scenario that is not about
         * the watchdog gives the jobs room here, so that its faults, not the machine's speed, decide
         * which jobs end.
         */
        pool: z.object({ watchdogMs: positiveInt.optional() }).strict().default({}),
      })
      .strict()
      .default({ timeScale: 1, workload: {}, pool: {} }),
    /** How often ground-truth resources are sampled. */
    sampleEveryMs: positiveInt.default(60_000),
    /** Heap snapshots of the process that holds the pool (docs/leaks.md). */
    heap: HeapSchema,
    load: LoadSchema,
    /**
     * What a run must have exercised to pass (besides each fault's strikes): without it the
     * verdict is undecided, since a run in which nothing worked proves nothing.
     */
    coverage: z
      .object({
        /** Jobs that must complete ok. */
        minJobsWorked: z.number().int().nonnegative().default(1),
        /**
         * Jobs that must arrive while `maxBrowsers` jobs are already in the pool (a workload whose
         * `concurrency` is above `maxBrowsers`): proof that the pool was filled.
         */
        minArrivalsAboveLimit: z.number().int().nonnegative().optional(),
        /** Jobs that must be abandoned (`workload.abandon`) while they wait for a slot or their browser, and while they work. */
        minAbandonedWaiting: z.number().int().nonnegative().optional(),
        minAbandonedWorking: z.number().int().nonnegative().optional(),
      })
      .strict()
      .default({ minJobsWorked: 1 }),
    /** Thresholds that fail the run even when every invariant held. */
    budgets: z
      .object({
        memoryGrowthMBPerHour: z.number().optional(),
        peakClosesPerSecond: z.number().optional(),
        /** Measured growth of the used heap after GC (heap.sample) of the process that holds the pool. */
        heapGrowthMBPerHour: z.number().optional(),
        /**
         * Objects the closed pool still holds of those it allocated between the baseline and target
         * heap snapshots (the leak analysis). Setting it takes the snapshots on every run.
         */
        leakedObjects: z.number().int().nonnegative().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Scenario = z.output<typeof ScenarioSchema>;
export type FaultSpec = z.output<typeof FaultSchema>;

/** Typed helper for scenario files: `export default defineScenario({...})`. */
export function defineScenario(scenario: ScenarioInput): ScenarioInput {
  return scenario;
}
