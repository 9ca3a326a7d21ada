import { VirtualClock } from '../../clock/virtual-clock.ts';
import { DEFAULT_SIM_OPTIONS, SimDriver } from '../../drivers/sim/sim-driver.ts';
import type { Recorder } from '../../history/recorder.ts';
import type { Random } from '../../random.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { driveVirtual, pace } from '../drive-virtual.ts';
import type { Backend } from './backend.ts';

/** Where the jobs' review pages live under sim (the sim driver answers for any origin). */
export const SIM_ORIGIN = 'http://127.0.0.1:0';

/** The simulation: virtual time, simulated browsers, deterministic for a seed. */
export function createSimBackend(scenario: Scenario, recorder: Recorder, random: Random, options: { pace?: number } = {}): Backend {
  const clock = new VirtualClock();
  const driver = new SimDriver(clock, recorder, random, {
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
