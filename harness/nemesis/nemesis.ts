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

/**
 * The fault schedule: each scenario fault strikes at its time (or every interval), with its
 * probability, at one random working session or at all of them. Faults are events like any other.
 */
export class Nemesis {
  #timers = new Set<TimerId>();
  #nextId = 1;
  #stopped = false;

  constructor(
    private readonly faults: readonly FaultSpec[],
    private readonly deps: {
      clock: Clock;
      recorder: Recorder;
      random: Random;
      driverFaults: DriverFaults;
      workload: FaultTargets;
      durationMs: number;
    },
  ) {}

  start(): void {
    for (const fault of this.faults) {
      if (fault.at !== undefined) this.#schedule(fault, fault.at);
      else this.#schedule(fault, fault.from + fault.every!);
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const id of this.#timers) this.deps.clock.clearTimeout(id);
    this.#timers.clear();
  }

  #schedule(fault: FaultSpec, at: number): void {
    const id = this.deps.clock.setTimeout(
      () => {
        this.#timers.delete(id);
        if (this.#stopped) return;
        this.#strike(fault);
        const next = this.deps.clock.now() + (fault.every ?? Infinity);
        if (fault.every !== undefined && next <= (fault.until ?? this.deps.durationMs)) this.#schedule(fault, next);
      },
      at - this.deps.clock.now(),
      `fault:${fault.kind}`,
    );
    this.#timers.add(id);
  }

  #strike(fault: FaultSpec): void {
    const { random, workload } = this.deps;
    if (random.next() >= fault.probability) return;
    const candidates = [...workload.working];
    if (candidates.length === 0) return void this.deps.recorder.emit('fault.missed', { fault: fault.kind });
    const targets = fault.target === 'all' ? candidates : [candidates[random.int(candidates.length)]!];
    for (const [session, browser] of targets) this.#apply(fault, session, browser);
  }

  #apply(fault: FaultSpec, session: string, browser: string): void {
    const { recorder, driverFaults, clock } = this.deps;
    const id = this.#nextId++;
    recorder.emit(
      'fault.start',
      { fault: fault.kind, id, target: browser, ...(fault.forMs === undefined ? {} : { forMs: fault.forMs }) },
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
      case 'reset':
      case 'serverError':
      case 'challenge':
        return driverFaults.badPage(browser, fault.kind);
      case 'throw': {
        const plan = this.deps.workload.sabotage.get(session);
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
