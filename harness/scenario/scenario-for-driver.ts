import { type DriverName, isRealDriver, unsupportedFault } from '../drivers/catalogue.ts';
import { InputError } from '../errors.ts';
import type { Scenario } from './schema.ts';

/**
 * The scenario as `driver` plays it: a real driver plays the scenario's `real` duration, workload,
 * faults and watchdog where it gives them, and its faults strike only once a session is working
 * (`afterWorking` 1 unless they say otherwise): a real launch takes 0.2 s on an idle machine and
 * 10 s on a busy one, and a fault timed on the clock would strike nothing there. An open-ended run
 * (the service, whose jobs come when requests do) waits for work the same way on any driver: a
 * service idles between requests, and a strike then would find nothing to strike. A fault the
 * driver cannot inflict is bad input, said before anything starts.
 */
export function scenarioForDriver(scenario: Scenario, driver: DriverName, options: { openEnded?: boolean } = {}): Scenario {
  const real = isRealDriver(driver) ? withRealBlock(scenario) : scenario;
  const adapted = isRealDriver(driver) || options.openEnded ? { ...real, faults: strikingWhileWorking(real.faults) } : real;
  for (const fault of adapted.faults) {
    const why = unsupportedFault(driver, fault.kind);
    if (why)
      throw new InputError(
        `${adapted.name}: the ${fault.kind} fault is not available with --driver ${driver} (${why}); use --driver chromium or sim`,
      );
  }
  return adapted;
}

function withRealBlock(scenario: Scenario): Scenario {
  const { durationMs, workload, faults, pool } = scenario.real;
  const defined = Object.fromEntries(Object.entries(workload).filter(([, value]) => value !== undefined));
  return {
    ...scenario,
    durationMs: durationMs ?? scenario.durationMs,
    workload: { ...scenario.workload, ...defined },
    faults: faults ?? scenario.faults,
    pool: pool.watchdogMs === undefined ? scenario.pool : { ...scenario.pool, watchdogMs: pool.watchdogMs },
  };
}

function strikingWhileWorking(faults: Scenario['faults']): Scenario['faults'] {
  return faults.map((fault) => ({ ...fault, afterWorking: fault.afterWorking ?? 1 }));
}
