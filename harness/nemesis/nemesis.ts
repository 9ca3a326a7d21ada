import type { Clock, TimerId } from '../clock/clock.ts';
import type { DriverFaults } from '../drivers/types.ts';
import type { Recorder } from '../history/recorder.ts';
import type { Random } from '../random.ts';
import type { FaultSpec } from '../scenario/schema.ts';

/**
 * What the nemesis needs of the workload, and no more: which sessions are working in which
 * browser (what a fault can target), and each job's plan, to make its work throw at its next step.
 */
export interface FaultTargets {
  readonly working: ReadonlyMap<string, string>;
  readonly sabotage: ReadonlyMap<string, { throwNext: boolean }>;
}

/** One fault of the scenario's list, with the strikes it has made. */
interface Entry {
  fault: FaultSpec;
  /** Its index in the scenario's list: how the history names it. */
  index: number;
  strikes: number;
}

/**
 * The fault schedule: each scenario fault strikes at its time (or every interval), with its
 * probability, at one random working session or at all of them. Faults are events like any other.
 * A fault with `afterWorking` waits, when its time comes, until that many sessions are working,
 * and its next strike is timed from then: on a slow machine it follows the jobs, not the clock.
 */
export class Nemesis {
  #timers = new Set<TimerId>();
  #nextId = 1;
  #stopped = false;
  /** Strikes whose time came before enough sessions were working, in the order they came. */
  #waiting: Entry[] = [];
  #stopWatching: (() => void) | undefined;
  #recheck: TimerId | undefined;

  constructor(
    private readonly faults: readonly FaultSpec[],
    private readonly deps: {
      clock: Clock;
      recorder: Recorder;
      random: Random;
      driverFaults: DriverFaults;
      workload: FaultTargets;
      durationMs: number;
      /** The shutdown fault: start no more jobs and call `pool.close()` while the jobs work (the runner knows how). */
      shutdown: () => void;
    },
  ) {}

  start(): void {
    for (const [index, fault] of this.faults.entries()) {
      const entry: Entry = { fault, index, strikes: 0 };
      this.#schedule(entry, fault.at ?? fault.from + fault.every!);
    }
  }

  /** No more strikes. A strike still waiting for working sessions struck nothing, and the history says so. */
  stop(): void {
    this.#stopped = true;
    for (const id of this.#timers) this.deps.clock.clearTimeout(id);
    this.#timers.clear();
    for (const { fault, index } of this.#waiting.splice(0)) this.deps.recorder.emit('fault.missed', { fault: fault.kind, entry: index });
    this.#stopWatching?.();
    this.#stopWatching = undefined;
  }

  #schedule(entry: Entry, at: number): void {
    const id = this.deps.clock.setTimeout(
      () => {
        this.#timers.delete(id);
        if (!this.#stopped) this.#fire(entry);
      },
      at - this.deps.clock.now(),
      `fault:${entry.fault.kind}`,
    );
    this.#timers.add(id);
  }

  #fire(entry: Entry): void {
    const { fault } = entry;
    if (this.deps.random.next() >= fault.probability) return this.#scheduleNext(entry);
    if (fault.afterWorking !== undefined && this.deps.workload.working.size < fault.afterWorking) return this.#wait(entry);
    this.#strike(entry);
    this.#scheduleNext(entry);
  }

  #scheduleNext(entry: Entry): void {
    const { every, until } = entry.fault;
    const next = this.deps.clock.now() + (every ?? Infinity);
    if (every !== undefined && next <= (until ?? this.deps.durationMs)) this.#schedule(entry, next);
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
      this.#scheduleNext(entry);
    }
  }

  #strike(entry: Entry): void {
    const { random, workload } = this.deps;
    // A failing launch strikes the driver, not a session: the next job to launch meets it.
    if (entry.fault.kind === 'launchFail') {
      entry.strikes++;
      return this.#apply(entry, undefined, 'driver');
    }
    const candidates = [...workload.working];
    if (candidates.length === 0) return void this.deps.recorder.emit('fault.missed', { fault: entry.fault.kind, entry: entry.index });
    // A shutdown strikes the pool, while sessions work (else it missed): every job meets it.
    if (entry.fault.kind === 'shutdown') {
      entry.strikes++;
      return this.#apply(entry, undefined, 'pool');
    }
    const targets = entry.fault.target === 'all' ? candidates : [candidates[random.int(candidates.length)]!];
    entry.strikes++;
    for (const [session, browser] of targets) this.#apply(entry, session, browser);
  }

  #apply(entry: Entry, session: string | undefined, browser: string): void {
    const { recorder, driverFaults, clock } = this.deps;
    const { fault } = entry;
    const id = this.#nextId++;
    recorder.emit(
      'fault.start',
      {
        fault: fault.kind,
        id,
        target: browser,
        ...(fault.forMs === undefined ? {} : { forMs: fault.forMs }),
        entry: entry.index,
        strike: entry.strikes,
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
