import { describe, expect, it } from 'vitest';
import { loadScenario } from './load-scenario.ts';
import { scenarioForDriver } from './scenario-for-driver.ts';

describe('the scenario as a driver plays it', () => {
  it('an open-ended (service) run strikes only while a job works, on the sim too, unless a fault says otherwise', async () => {
    const { scenario } = await loadScenario('watchdog-timeout', ['faults.0.afterWorking=3']);
    const faults = [...scenario.faults, { ...scenario.faults[0]!, afterWorking: undefined }];
    const given = { ...scenario, faults };
    expect(scenarioForDriver(given, 'sim').faults.map((fault) => fault.afterWorking)).toEqual([3, undefined]);
    expect(scenarioForDriver(given, 'sim', { openEnded: true }).faults.map((fault) => fault.afterWorking)).toEqual([3, 1]);
  });

  it('a real driver plays the real block’s watchdog, the sim the scenario’s own, and the rest of the pool as written', async () => {
    const { scenario } = await loadScenario('browser-crash');
    expect(scenarioForDriver(scenario, 'sim').pool).toEqual(scenario.pool);
    expect(scenarioForDriver(scenario, 'chromium').pool).toEqual({ ...scenario.pool, watchdogMs: 30 * 60_000 });
    const { scenario: watchdogOnly } = await loadScenario('watchdog-timeout');
    expect(scenarioForDriver(watchdogOnly, 'chromium').pool).toEqual(watchdogOnly.pool);
  });
});
