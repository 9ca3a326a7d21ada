import { RealClock } from '../../clock/real-clock.ts';
import { type Launcher, PlaywrightDriver } from '../../drivers/playwright/playwright-driver.ts';
import type { Recorder } from '../../history/recorder.ts';
import { newRunId } from '../../os/browser-marker.ts';
import { createBrowserScratch } from '../../os/browser-scratch.ts';
import { killRun, listRunProcesses, osSample, waitForExit } from '../../os/run-processes.ts';
import { reapAbandonedRuns, registerRun } from '../../os/run-registry.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { SITE_BROWSER_HEADER, startSite } from '../../site/site.ts';
import { driveReal } from '../drive-real.ts';
import type { Backend } from './backend.ts';

/**
 * How long the run waits, before judging what remains, for the processes of browsers the driver
 * saw go down to exit. It ends as soon as they are gone, so it is not a guess at the machine's
 * speed: it bounds the wait for processes that will not go on their own (a leak, then judged by
 * processes-at-quiescence), far above the seconds a loaded machine takes.
 */
const EXIT_BOUND_MS = 30_000;
/** Real time allowed for closing the pool, whatever the scale: real browsers close in real seconds. */
const CLOSE_FLOOR_MS = 15_000;

/**
 * Real browsers: Playwright drives them, the target site serves their pages, the OS says which of
 * their processes live. Every process carries the run's id, so whatever the run leaves behind is
 * found and killed, now or, if this process is killed, by the next run.
 */
export async function createRealBackend(name: string, launcher: Launcher, scenario: Scenario, recorder: Recorder): Promise<Backend> {
  const timeScale = scenario.real.timeScale;
  const clock = new RealClock(timeScale);
  // A run whose tally process was SIGKILLed could close nothing: its record says what to kill.
  for (const { runId: abandoned, killed } of reapAbandonedRuns()) {
    process.stderr.write(
      `tally: run ${abandoned} ended without cleaning up (its process was killed); killed the ${killed} processes it left\n`,
    );
  }
  const runId = newRunId();
  const scratch = createBrowserScratch(runId);
  const unregister = registerRun(runId, undefined, scratch.dir);
  // A page visit is two requests (the page, then the reviews its script fetches), each delayed by
  // the site; the browser's own ~150 ms comes on top, which the scenario's timeScale allows for.
  const site = await startSite({ latencyMs: Math.round((scenario.workload.pageMs * timeScale) / 2) });
  // PSS costs a few ms per process: read on the interval and at the end, not on every launch and close.
  const recordOs = (reason: 'interval' | 'browser' | 'quiescent') =>
    recorder.emit('os.sample', osSample(runId, reason, { pss: reason !== 'browser' }));
  const driver = new PlaywrightDriver({
    name,
    launcher: async (env) => {
      const browser = await launcher({ ...env, TMPDIR: scratch.dir });
      scratch.noteProfiles();
      return browser;
    },
    recorder,
    clock,
    runId,
    site: {
      stall: (browser) => site.stall(browser),
      arm: (browser, fault) => site.arm(browser, fault),
      headersFor: (browser) => ({ [SITE_BROWSER_HEADER]: browser }),
    },
    onBrowserChange: () => recordOs('browser'),
  });
  return {
    clock,
    driver,
    origin: site.origin,
    timeScale,
    runId,
    drive: (options) => driveReal(clock, recorder, options),
    closeAllowanceMs: (scenarioMs) => Math.max(scenarioMs, CLOSE_FLOOR_MS / timeScale),
    sample() {
      const os = osSample(runId, 'interval');
      recorder.emit('os.sample', os);
      const { browsers, pages } = driver.sample();
      recorder.emit('sample', { browsers, pages, memoryMB: os.pssMB });
    },
    async beforeQuiescent() {
      // A browser the pool closed takes a moment to exit, its children a moment more; one it
      // never closed stays. Wait until only the browsers the driver still has remain (or the
      // bound ends), then record what is left.
      const deadline = performance.now() + EXIT_BOUND_MS;
      for (;;) {
        const live = new Set(driver.liveBrowserIds());
        if (listRunProcesses(runId).every((process) => live.has(process.browser)) || performance.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      recordOs('quiescent');
    },
    async teardown() {
      try {
        await driver.shutdown();
      } finally {
        killRun(runId);
        await site.close();
        clock.dispose();
        // What the browsers and Playwright wrote for them goes once no process of theirs can write more.
        await waitForExit(runId, { timeoutMs: EXIT_BOUND_MS });
        scratch.remove();
        unregister();
      }
    },
  };
}
