import type { DriverName } from '../drivers/catalogue.ts';
import type { LoadShape } from '../load/drive-load.ts';
import { driveLoad } from '../load/drive-load.ts';
import { loadFigures, loadLine, shapeLine } from '../load/load-figures.ts';
import { loadSpan } from '../load/load-shape.ts';
import { playFaults, type StrikeFigures } from '../load/play-faults.ts';
import { checkServiceFaults } from '../load/service-faults.ts';
import { seededRandom } from '../random.ts';
import { scenarioForDriver } from '../scenario/scenario-for-driver.ts';
import type { Scenario } from '../scenario/schema.ts';

/**
 * `tally load --url`: a service this process did not start, loaded in the scenario's shape while
 * the scenario's faults are asked of its admin channel on the wall clock. The verdict is the
 * service's own (its report, once it is stopped), so this says what it did and exits 2.
 */
export async function loadRunning(
  url: string,
  scenario: Scenario,
  driver: DriverName,
  shape: Omit<LoadShape, 'url' | 'signal'>,
  seed: number,
  signal: AbortSignal,
): Promise<number> {
  // Each strike waits for a working session in the service, as the service's own nemesis would (a service idles between requests).
  const faults = scenarioForDriver(scenario, driver, { openEnded: true });
  const { playsThemItself } = await checkServiceFaults(url, faults.faults);
  // Played from here as well, each fault would strike twice as often as the scenario says.
  if (playsThemItself)
    console.log(
      `the service plays ${faults.name}'s faults itself (it was not served with --faults admin): none are asked over its admin channel`,
    );
  const player = faults.faults.length > 0 && !playsThemItself ? playFaults(faults, { url, random: seededRandom(seed).fork(3) }) : undefined;
  console.log(
    `loading ${url} with ${shape.connections} connections ${loadSpan(shape)}${player ? `, striking ${faults.name}'s faults over ${url}/admin/faults` : ''}`,
  );
  let strikes: StrikeFigures | undefined;
  let figures: ReturnType<typeof loadFigures>;
  try {
    figures = loadFigures(await driveLoad({ ...shape, url, signal }), shape);
  } finally {
    strikes = await player?.stop();
  }
  console.log(loadLine(figures));
  console.log(shapeLine(figures));
  if (strikes) console.log(strikesLine(strikes));
  console.log("  the verdict is the running service's own: stop it (SIGTERM) for its report");
  return 2;
}

export function strikesLine(s: StrikeFigures): string {
  const problems = s.problems.length > 0 ? ` (${s.problems.join('; ')})` : '';
  return `faults: ${s.asked} strikes asked over the admin channel: ${s.struck} struck, ${s.missed} found no working session, ${s.waiting} waiting for one, ${s.refused} refused${problems}`;
}
