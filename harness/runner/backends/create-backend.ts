import { type DriverName, launcherFor } from '../../drivers/catalogue.ts';
import type { Launcher } from '../../drivers/playwright/playwright-driver.ts';
import type { Recorder } from '../../history/recorder.ts';
import type { Random } from '../../random.ts';
import type { Scenario } from '../../scenario/schema.ts';
import type { Backend } from './backend.ts';
import { createSimBackend } from './sim-backend.ts';

export async function createBackend(
  driver: DriverName,
  scenario: Scenario,
  recorder: Recorder,
  random: Random,
  options: { pace?: number; launcher?: Launcher; realTime?: boolean } = {},
): Promise<Backend> {
  if (driver === 'sim') return createSimBackend(scenario, recorder, random, options);
  const launcher = options.launcher ?? (await launcherFor(driver));
  const { createRealBackend } = await import('./real-backend.ts');
  return createRealBackend(driver, launcher, scenario, recorder);
}
