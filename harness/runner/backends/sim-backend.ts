import type { Clock } from '../../clock/clock.ts';
import { RealClock } from '../../clock/real-clock.ts';
import { VirtualClock } from '../../clock/virtual-clock.ts';
import { DEFAULT_SIM_OPTIONS, SimDriver } from '../../drivers/sim/sim-driver.ts';
import type { Recorder } from '../../history/recorder.ts';
import type { Random } from '../../random.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { driveReal } from '../drive-real.ts';
import { driveVirtual, pace } from '../drive-virtual.ts';
import type { Backend } from './backend.ts';

/** Where the jobs' review pages live under sim (the sim driver answers for any origin). */
export const SIM_ORIGIN = 'http://127.0.0.1:0';

/**
 * The simulation: virtual time, simulated browsers, deterministic for a seed. With `realTime`
 * (the HTTP service, whose requests arrive in real time) the simulated browsers run on the real
 * clock at the scenario's `real.timeScale` instead.
 */
export function createSimBackend(
  scenario: Scenario,
  recorder: Recorder,
  random: Random,
  options: { pace?: number; realTime?: boolean } = {},
): Backend {
  if (options.realTime) return realTimeSim(scenario, recorder, random);
  const clock = new VirtualClock();
  const driver = simDriver(scenario, clock, recorder, random);
  const paced = options.pace === undefined ? undefined : pace(options.pace);
  return {
    clock,
    driver,
    origin: SIM_ORIGIN,
    timeScale: 1,
    drive: (drive) => driveVirtual(clock, paced ? { ...drive, pace: paced } : drive),
    closeAllowanceMs: (scenarioMs) => scenarioMs,
    sample: () => void recorder.emit('sample', driver.sample()),
    beforeQuiescent: async () => {},
    teardown: () => driver.shutdown(),
  };
}

function realTimeSim(scenario: Scenario, recorder: Recorder, random: Random): Backend {
  const clock = new RealClock(scenario.real.timeScale);
  const driver = simDriver(scenario, clock, recorder, random);
  return {
    clock,
    driver,
    origin: SIM_ORIGIN,
    timeScale: clock.timeScale,
    drive: (drive) => driveReal(clock, recorder, drive),
    closeAllowanceMs: (scenarioMs) => scenarioMs,
    sample: () => void recorder.emit('sample', driver.sample()),
    beforeQuiescent: async () => {},
    async teardown() {
      try {
        await driver.shutdown();
      } finally {
        clock.dispose();
      }
    },
  };
}

/** The sim driver with the scenario's browser sizes and timings. */
export function simDriver(scenario: Scenario, clock: Clock, recorder: Recorder, random: Random): SimDriver {
  return new SimDriver(clock, recorder, random, {
    ...DEFAULT_SIM_OPTIONS,
    browserMB: scenario.sim.browserMB,
    pageMB: scenario.sim.pageMB,
    timing: {
      ...DEFAULT_SIM_OPTIONS.timing,
      navigationMs: scenario.workload.pageMs,
      launchMs: scenario.sim.launchMs,
      closeMs: scenario.sim.closeMs,
    },
  });
}
