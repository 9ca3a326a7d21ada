import type { Launcher } from '../../drivers/playwright/playwright-driver.ts';
import { InputError } from '../../errors.ts';
import type { Recorder } from '../../history/recorder.ts';
import type { Random } from '../../random.ts';
import type { Scenario } from '../../scenario/schema.ts';
import type { Backend } from './backend.ts';
import { createSimBackend } from './sim-backend.ts';

export const DRIVERS = ['sim', 'chromium', 'firefox', 'camoufox'] as const;
export type DriverName = (typeof DRIVERS)[number];

export function checkDriverName(name: string): DriverName {
  if (!(DRIVERS as readonly string[]).includes(name))
    throw new InputError(`--driver ${name}: unknown driver (available: ${DRIVERS.join(', ')})`);
  return name as DriverName;
}

export function isRealDriver(name: string): boolean {
  return name !== 'sim';
}

/**
 * The launcher of a real driver, or bad input at once if its browser is not installed: nothing is
 * started, nothing is fetched, nothing is written. Real drivers are imported only when asked for:
 * Playwright alone would slow every sim run's start.
 */
export async function launcherFor(name: Exclude<DriverName, 'sim'>): Promise<Launcher> {
  if (name !== 'camoufox') {
    const { debianLauncher } = await import('../../drivers/playwright/launchers.ts');
    return debianLauncher(name);
  }
  const { camoufoxLauncher } = await import('../../drivers/camoufox/camoufox-launcher.ts');
  return camoufoxLauncher({ headless: true });
}

/** Faults a real driver cannot inflict, by driver, with the reason. */
const UNSUPPORTED_FAULTS: Partial<Record<DriverName, { kind: string; why: string }>> = {
  firefox: {
    kind: 'pageCrash',
    why: "Firefox's web content processes cannot be told apart from its privileged ones, and killing those takes the whole browser down",
  },
  camoufox: { kind: 'pageCrash', why: 'Camoufox is Firefox: its web content processes cannot be told apart from its privileged ones' },
};

/** Bad input, said before anything starts: a scenario whose faults this driver cannot inflict. */
export function checkFaultsSupported(scenario: Scenario, driver: DriverName): void {
  const unsupported = UNSUPPORTED_FAULTS[driver];
  if (unsupported && scenario.faults.some((fault) => fault.kind === unsupported.kind)) {
    throw new InputError(
      `${scenario.name}: the ${unsupported.kind} fault is not available with --driver ${driver} (${unsupported.why}); use --driver chromium or sim`,
    );
  }
}

/** A real run plays the scenario's `real` duration, workload and faults where it gives them. */
export function scenarioForDriver(scenario: Scenario, driver: string): Scenario {
  if (!isRealDriver(driver)) return scenario;
  const { durationMs, workload, faults } = scenario.real;
  const defined = Object.fromEntries(Object.entries(workload).filter(([, value]) => value !== undefined));
  return {
    ...scenario,
    durationMs: durationMs ?? scenario.durationMs,
    workload: { ...scenario.workload, ...defined },
    faults: faults ?? scenario.faults,
  };
}

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
