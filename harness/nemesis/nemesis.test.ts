import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock.ts';
import type { DriverFaults } from '../drivers/types.ts';
import type { AnyEvent } from '../history/events.ts';
import { Recorder } from '../history/recorder.ts';
import { seededRandom } from '../random.ts';
import { FaultSchema } from '../scenario/schema.ts';
import { type FaultTargets, Nemesis } from './nemesis.ts';

function nemesisWith(
  working: Map<string, string>,
  faults: unknown[],
  during?: (clock: VirtualClock, recorder: Recorder, nemesis: Nemesis) => void,
  { schedule = true, durationMs = 10_000 } = {},
) {
  const clock = new VirtualClock();
  const recorder = new Recorder(() => clock.now());
  const events: AnyEvent[] = [];
  recorder.subscribe((e) => events.push(e));
  const struck: string[] = [];
  const record = (kind: string) => (browser: string, arg?: unknown) =>
    void struck.push(`${kind} ${browser}${arg === undefined ? '' : ` ${arg}`}`);
  const driverFaults: DriverFaults = {
    crash: record('crash'),
    stall: record('stall'),
    pageCrash: record('pageCrash'),
    hang: record('hang'),
    slowClose: record('slowClose'),
    badPage: record('badPage'),
    launchFail: (timeoutMs, op) => void struck.push(`launchFail ${op}${timeoutMs === undefined ? '' : ` ${timeoutMs}`}`),
  };
  const workload: FaultTargets = { working, sabotage: new Map() };
  const nemesis = new Nemesis(
    faults.map((f) => FaultSchema.parse(f)),
    { clock, recorder, random: seededRandom(1), driverFaults, workload, durationMs, shutdown: () => void struck.push('shutdown') },
  );
  if (schedule) nemesis.start();
  during?.(clock, recorder, nemesis);
  while (clock.fireNext());
  nemesis.stop();
  return { events, struck };
}

describe('Nemesis', () => {
  it('strikes every working session for target all, each strike an event', () => {
    const { events, struck } = nemesisWith(
      new Map([
        ['j1', 'b1'],
        ['j2', 'b2'],
      ]),
      [{ kind: 'stall', at: 1_000, target: 'all' }],
    );
    expect(struck).toEqual(['stall b1', 'stall b2']);
    expect(events.filter((e) => e.kind === 'fault.start').map((e) => [e.session, e.t])).toEqual([
      ['j1', 1_000],
      ['j2', 1_000],
    ]);
  });

  it("hands the site's bad answers to the driver, at one working session", () => {
    const { struck } = nemesisWith(new Map([['j1', 'b1']]), [
      { kind: 'challenge', at: 1_000 },
      { kind: 'reset', at: 2_000 },
      { kind: 'serverError', at: 3_000 },
    ]);
    expect(struck).toEqual(['badPage b1 challenge', 'badPage b1 reset', 'badPage b1 serverError']);
  });

  it('arms the driver’s next launch to fail, or to time out, with no working session needed', () => {
    const { events, struck } = nemesisWith(new Map(), [
      { kind: 'launchFail', at: 1_000 },
      { kind: 'launchFail', at: 2_000, forMs: 30_000, op: 'newPage' },
    ]);
    expect(struck).toEqual(['launchFail launch', 'launchFail newPage 30000']);
    expect(events.map((e) => [e.kind, e.t, e.session, e.data])).toEqual([
      ['fault.start', 1_000, undefined, { fault: 'launchFail', id: 1, target: 'driver', entry: 0, strike: 1 }],
      ['fault.start', 2_000, undefined, { fault: 'launchFail', id: 2, target: 'driver', forMs: 30_000, entry: 1, strike: 1 }],
    ]);
  });

  it('shuts the pool down while sessions work, once, and misses when none works', () => {
    const working = nemesisWith(new Map([['j1', 'b1']]), [{ kind: 'shutdown', at: 1_000 }]);
    expect(working.struck).toEqual(['shutdown']);
    expect(working.events.map((e) => [e.kind, e.t, e.session, e.data])).toEqual([
      ['fault.start', 1_000, undefined, { fault: 'shutdown', id: 1, target: 'pool', entry: 0, strike: 1 }],
    ]);
    const idle = nemesisWith(new Map(), [{ kind: 'shutdown', at: 1_000 }]);
    expect(idle.struck).toEqual([]);
    expect(idle.events.map((e) => [e.kind, e.data])).toEqual([['fault.missed', { fault: 'shutdown', entry: 0 }]]);
  });

  it('says so when its time comes and no session is working, instead of striking nothing in silence', () => {
    const { events, struck } = nemesisWith(new Map(), [
      { kind: 'crash', at: 1_000 },
      { kind: 'stall', every: 4_000 },
    ]);
    expect(struck).toEqual([]);
    expect(events.map((e) => [e.kind, e.t, e.data])).toEqual([
      ['fault.missed', 1_000, { fault: 'crash', entry: 0 }],
      ['fault.missed', 4_000, { fault: 'stall', entry: 1 }],
      ['fault.missed', 8_000, { fault: 'stall', entry: 1 }],
    ]);
  });

  it('with afterWorking, holds a strike until that many sessions work, then times the next one from it', () => {
    const working = new Map([['j1', 'b1']]);
    const { events, struck } = nemesisWith(working, [{ kind: 'crash', every: 1_000, until: 6_000, afterWorking: 2 }], (clock, recorder) => {
      // A second session starts working at 3.5 s: the strike due at 1 s waits for it.
      clock.setTimeout(
        () => {
          working.set('j2', 'b2');
          recorder.emit('job.work', { browser: 'b2' }, { session: 'j2' });
        },
        3_500,
        'job',
      );
    });
    expect(struck).toHaveLength(3);
    expect(events.filter((e) => e.kind === 'fault.start').map((e) => [e.t, e.data.entry, e.data.strike])).toEqual([
      [3_500, 0, 1],
      [4_500, 0, 2],
      [5_500, 0, 3],
    ]);
    expect(events.some((e) => e.kind === 'fault.missed')).toBe(false);
  });

  it('with afterWorking, records a strike still waiting when the run stops as missed', () => {
    const { events, struck } = nemesisWith(new Map([['j1', 'b1']]), [{ kind: 'stall', at: 1_000, afterWorking: 2 }]);
    expect(struck).toEqual([]);
    expect(events.map((e) => [e.kind, e.data])).toEqual([['fault.missed', { fault: 'stall', entry: 0 }]]);
  });

  it('in a run without an end (a service), records a strike still waiting when it is stopped as pending, scheduled or asked for', () => {
    const { events, struck } = nemesisWith(
      new Map([['j1', 'b1']]),
      [{ kind: 'stall', at: 1_000, afterWorking: 2 }],
      (_clock, _recorder, nemesis) =>
        expect(nemesis.strike({ kind: 'crash', target: 'one', afterWorking: 3 })).toEqual({ outcome: 'waiting' }),
      { durationMs: Number.POSITIVE_INFINITY },
    );
    expect(struck).toEqual([]);
    expect(events.map((e) => [e.kind, e.data])).toEqual([
      ['fault.pending', { fault: 'crash' }],
      ['fault.pending', { fault: 'stall', entry: 0 }],
    ]);
  });

  it('strikes on request as on its schedule: a strike naming a fault counts toward it, one naming none toward nothing', () => {
    const answers: unknown[] = [];
    const { events, struck } = nemesisWith(new Map([['j1', 'b1']]), [{ kind: 'crash', at: 1_000 }], (clock, _recorder, nemesis) => {
      clock.setTimeout(() => answers.push(nemesis.strike({ kind: 'crash', target: 'one' }, 0)), 2_000, 'admin');
      clock.setTimeout(() => answers.push(nemesis.strike({ kind: 'stall', target: 'one' })), 3_000, 'admin');
    });
    expect(struck).toEqual(['crash b1', 'crash b1', 'stall b1']);
    expect(events.map((e) => [e.t, e.data])).toEqual([
      [1_000, { fault: 'crash', id: 1, target: 'b1', entry: 0, strike: 1 }],
      [2_000, { fault: 'crash', id: 2, target: 'b1', entry: 0, strike: 2 }],
      [3_000, { fault: 'stall', id: 3, target: 'b1' }],
    ]);
    expect(answers).toEqual([
      { outcome: 'struck', targets: ['b1'] },
      { outcome: 'struck', targets: ['b1'] },
    ]);
  });

  it('refuses to count a strike toward a fault of another kind', () => {
    nemesisWith(
      new Map(),
      [{ kind: 'crash', at: 1_000 }],
      (_clock, _recorder, nemesis) => {
        expect(() => nemesis.strike({ kind: 'stall', target: 'one' }, 0)).toThrow('index 0: not a stall fault of the scenario');
        expect(() => nemesis.strike({ kind: 'stall', target: 'one' }, 1)).toThrow('index 1: not a stall fault of the scenario');
      },
      { schedule: false },
    );
  });

  it('holds a requested strike for working sessions, and says missed when none ever works', () => {
    const working = new Map<string, string>();
    const answers: unknown[] = [];
    const { events } = nemesisWith(
      working,
      [{ kind: 'crash', every: 1_000 }],
      (clock, recorder, nemesis) => {
        answers.push(nemesis.strike({ kind: 'crash', target: 'one', afterWorking: 1 }, 0));
        answers.push(nemesis.strike({ kind: 'crash', target: 'one' }, 0));
        clock.setTimeout(
          () => {
            working.set('j1', 'b1');
            recorder.emit('job.work', { browser: 'b1' }, { session: 'j1' });
          },
          2_500,
          'job',
        );
      },
      { schedule: false },
    );
    expect(answers).toEqual([{ outcome: 'waiting' }, { outcome: 'missed' }]);
    // The schedule was not started: the waiting strike is the only one, and no repeat follows it.
    expect(events.filter((e) => e.kind.startsWith('fault.')).map((e) => [e.kind, e.t, e.data])).toEqual([
      ['fault.missed', 0, { fault: 'crash', entry: 0 }],
      ['fault.start', 2_500, { fault: 'crash', id: 1, target: 'b1', entry: 0, strike: 1 }],
    ]);
  });
});
