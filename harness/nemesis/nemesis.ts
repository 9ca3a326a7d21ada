import type { Clock, TimerId } from '../clock/clock.ts';
import type { DriverFaults } from '../drivers/types.ts';
import type { Recorder } from '../history/recorder.ts';
import type { Random } from '../random.ts';
import type { FaultSpec } from '../scenario/schema.ts';
import { FaultSchedule } from './fault-schedule.ts';

/**
 * What the nemesis needs of the workload, and no more: which sessions are working in which
 * browser (what a fault can target), and each job's plan, to make its work throw at its next step.
 */
export interface FaultTargets {
  readonly working: ReadonlyMap<string, string>;
  readonly sabotage: ReadonlyMap<string, { throwNext: boolean }>;
}

/** What one strike does: the fault's kind and how it strikes, without its timing. */
export type StrikeFault = Pick<FaultSpec, 'kind' | 'target' | 'forMs' | 'op' | 'afterWorking'>;

/** One strike to make: its fault, and which fault of the scenario's list it counts as (none: a strike from outside the list). */
interface Entry {
  fault: StrikeFault;
  index: number | undefined;
  /** Made by the schedule, which times a repeat from when a waiting strike is made. */
  scheduled: boolean;
}

/** What a strike did: struck these browsers (`driver` for launchFail, `pool` for shutdown), found no working session, or waits for them. */
export type StrikeOutcome = { outcome: 'struck'; targets: string[] } | { outcome: 'missed' } | { outcome: 'waiting' };

/**
 * The faults: each scenario fault strikes at its time (or every interval), with its probability,
 * at one random working session or at all of them (the schedule, `start`); or when asked from
 * outside (`strike`: the service's admin channel). Faults are events like any other, made the same
 * way whoever asked. A fault with `afterWorking` waits, when its time comes, until that many
 * sessions are working, and its next strike is timed from then: on a slow machine it follows the
 * jobs, not the clock.
 */
export class Nemesis {
  #timers = new Set<TimerId>();
  #nextId = 1;
  #stopped = false;
  /** Strikes made so far of each fault of the scenario's list: a strike from outside counts toward its fault too. */
  readonly #strikes: number[];
  readonly #schedule: FaultSchedule;
  /** Strikes whose time came before enough sessions were working, in the order they came. */
  #waiting: Entry[] = [];
  #stopWatching: (() => void) | undefined;
  #recheck: TimerId | undefined;

  constructor(
    /** The scenario's faults: what the schedule plays, and what a strike from outside may count as. */
    readonly faults: readonly FaultSpec[],
    private readonly deps: {
      clock: Clock;
      recorder: Recorder;
      random: Random;
      driverFaults: DriverFaults;
      workload: FaultTargets;
      /** When the run ends; Infinity for one that runs until it is stopped (a service). */
      durationMs: number;
      /** The shutdown fault: start no more jobs and call `pool.close()` while the jobs work (the runner knows how). */
      shutdown: () => void;
    },
  ) {
    this.#strikes = faults.map(() => 0);
    this.#schedule = new FaultSchedule(faults, {
      clock: deps.clock,
      random: deps.random,
      durationMs: deps.durationMs,
      fire: (index) => (this.#fire({ fault: faults[index]!, index, scheduled: true }).outcome === 'waiting' ? 'waiting' : 'struck'),
    });
  }

  /** Play the scenario's fault schedule. */
  start(): void {
    this.#schedule.start();
  }

  /**
   * Strike now, from outside the schedule (its probability, if any, was rolled by the caller), the
   * same way a scheduled strike does. `index` names the scenario's fault it counts as: of `fault`'s kind.
   */
  strike(fault: StrikeFault, index?: number): StrikeOutcome {
    if (index !== undefined && this.faults[index]?.kind !== fault.kind)
      throw new RangeError(`index ${index}: not a ${fault.kind} fault of the scenario`);
    if (this.#stopped) return { outcome: 'missed' };
    return this.#fire({ fault, index, scheduled: false });
  }

  /**
   * No more strikes. A strike still waiting for working sessions struck nothing, and the history
   * says so: in a run with an end, its time came and the run ran out waiting (missed); in a run
   * that serves until it is stopped (`durationMs` Infinity), the stop came first and it was never due
   * (pending), which counts neither for nor against the run.
   */
  stop(): void {
    this.#stopped = true;
    this.#schedule.stop();
    for (const id of this.#timers) this.deps.clock.clearTimeout(id);
    this.#timers.clear();
    const openEnded = this.deps.durationMs === Number.POSITIVE_INFINITY;
    for (const { fault, index } of this.#waiting.splice(0)) this.#unstruck(openEnded ? 'fault.pending' : 'fault.missed', fault, index);
    this.#stopWatching?.();
    this.#stopWatching = undefined;
  }

  #fire(entry: Entry): StrikeOutcome {
    if (entry.fault.afterWorking !== undefined && this.deps.workload.working.size < entry.fault.afterWorking) {
      this.#wait(entry);
      return { outcome: 'waiting' };
    }
    return this.#strike(entry);
  }

  #wait(entry: Entry): void {
    this.#waiting.push(entry);
    // A session starts working at `job.work`; the workload adds it to `working` right after the
    // event, so the count is read on a timer of 0 ms, once that has happened.
    this.#stopWatching ??= this.deps.recorder.subscribe((event) => {
      if (event.kind !== 'job.work' || this.#recheck !== undefined || this.#waiting.length === 0) return;
      const id = this.deps.clock.setTimeout(
        () => {
          this.#timers.delete(id);
          this.#recheck = undefined;
          this.#strikeWaiting();
        },
        0,
        'fault:after-working',
      );
      this.#recheck = id;
      this.#timers.add(id);
    });
  }

  #strikeWaiting(): void {
    const working = this.deps.workload.working.size;
    const ready = this.#waiting.filter((entry) => working >= entry.fault.afterWorking!);
    this.#waiting = this.#waiting.filter((entry) => !ready.includes(entry));
    for (const entry of ready) {
      this.#strike(entry);
      if (entry.scheduled) this.#schedule.struckLate(entry.index!);
    }
  }

  #strike(entry: Entry): StrikeOutcome {
    const { random, workload } = this.deps;
    // A failing launch strikes the driver, not a session: the next job to launch meets it.
    if (entry.fault.kind === 'launchFail') return this.#struck(entry, [[undefined, 'driver']]);
    const candidates = [...workload.working];
    if (candidates.length === 0) {
      this.#unstruck('fault.missed', entry.fault, entry.index);
      return { outcome: 'missed' };
    }
    // A shutdown strikes the pool, while sessions work (else it missed): every job meets it.
    if (entry.fault.kind === 'shutdown') return this.#struck(entry, [[undefined, 'pool']]);
    return this.#struck(entry, entry.fault.target === 'all' ? candidates : [candidates[random.int(candidates.length)]!]);
  }

  /** One strike, at each of its targets (session, browser): counted once for its fault. */
  #struck(entry: Entry, targets: [string | undefined, string][]): StrikeOutcome {
    const counted = entry.index === undefined ? {} : { entry: entry.index, strike: ++this.#strikes[entry.index]! };
    for (const [session, browser] of targets) this.#apply(entry.fault, counted, session, browser);
    return { outcome: 'struck', targets: targets.map(([, browser]) => browser) };
  }

  /** A strike that struck nothing: it found no working session (missed), or the run stopped before it was due (pending). */
  #unstruck(kind: 'fault.missed' | 'fault.pending', fault: StrikeFault, index: number | undefined): void {
    this.deps.recorder.emit(kind, index === undefined ? { fault: fault.kind } : { fault: fault.kind, entry: index });
  }

  #apply(fault: StrikeFault, counted: { entry?: number; strike?: number }, session: string | undefined, browser: string): void {
    const { recorder, driverFaults, clock } = this.deps;
    const id = this.#nextId++;
    recorder.emit(
      'fault.start',
      {
        fault: fault.kind,
        id,
        target: browser,
        ...(fault.forMs === undefined ? {} : { forMs: fault.forMs }),
        ...counted,
      },
      { session },
    );
    switch (fault.kind) {
      case 'crash':
        return driverFaults.crash(browser);
      case 'stall':
        return driverFaults.stall(browser);
      case 'pageCrash':
        return driverFaults.pageCrash(browser);
      case 'slowClose':
        return driverFaults.slowClose(browser, fault.forMs!);
      case 'launchFail':
        return driverFaults.launchFail(fault.forMs, fault.op ?? 'launch');
      case 'shutdown':
        return this.deps.shutdown();
      case 'reset':
      case 'serverError':
      case 'challenge':
        return driverFaults.badPage(browser, fault.kind);
      case 'throw': {
        const plan = session === undefined ? undefined : this.deps.workload.sabotage.get(session);
        if (plan) plan.throwNext = true;
        return;
      }
      case 'hang': {
        driverFaults.hang(browser, fault.forMs!);
        const end = clock.setTimeout(
          () => {
            this.#timers.delete(end);
            recorder.emit('fault.end', { fault: 'hang', id, target: browser }, { session });
          },
          fault.forMs!,
          'fault:hang-end',
        );
        this.#timers.add(end);
        return;
      }
    }
  }
}
