// Playwright's listener surface on a real Chromium, through the recorded driver: what a pool
// written against Playwright listens to (a page's close and crash, a context's close, the
// browser's disconnect) arrives, listeners come off again, and the driver records when the pool
// has handled a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { needsBrowser } from '../../../test/needs.ts';
import { RealClock } from '../../clock/real-clock.ts';
import type { AnyEvent } from '../../history/events.ts';
import { Recorder } from '../../history/recorder.ts';
import { newRunId } from '../../os/browser-marker.ts';
import { listRunProcesses, waitForExit } from '../../os/run-processes.ts';
import { debianLauncher } from './launchers.ts';
import { PlaywrightDriver } from './playwright-driver.ts';

function chromiumDriver() {
  const clock = new RealClock();
  const recorder = new Recorder(() => clock.now());
  const events: AnyEvent[] = [];
  recorder.subscribe((event) => events.push(event));
  const runId = newRunId();
  const driver = new PlaywrightDriver({
    name: 'chromium',
    launcher: debianLauncher('chromium'),
    recorder,
    clock,
    runId,
    site: { stall: () => {}, arm: () => {}, headersFor: () => ({}) },
  });
  return { driver, events, runId };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const until = (predicate: () => boolean, what: string) =>
  new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > 10_000) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 20);
    };
    poll();
  });

describe.runIf(needsBrowser('chromium'))('the recorded driver on Chromium', () => {
  it('delivers page close and crash, context close and disconnect; off removes; browser.handled follows the crash', async () => {
    const { driver, events, runId } = chromiumDriver();
    cleanup = async () => {
      await driver.shutdown();
      await waitForExit(runId, { timeoutMs: 5000 });
    };
    const seen: string[] = [];
    const browser = await driver.launch();
    const context = await browser.newContext();
    const first = await context.newPage();
    const second = await context.newPage();
    expect(browser.contexts()).toEqual([context]);
    expect(context.pages()).toEqual([first, second]);
    const opened = events.filter((e) => e.kind === 'driver.return' && e.data.created !== undefined).map((e) => e.data);
    expect(opened.map((data) => (data as { created?: string }).created)).toEqual(['b1/c1', 'b1/p2', 'b1/p3']);

    first.on('close', () => seen.push('first close'));
    second.on('crash', () => seen.push('second crash'));
    context.on('close', () => seen.push('context close'));
    const removed = () => seen.push('removed');
    browser.on('disconnected', removed).off('disconnected', removed);
    browser.once('disconnected', () => seen.push('disconnected'));

    await first.close();
    expect(context.pages()).toEqual([second]);
    await second.goto('about:blank');
    driver.faults.pageCrash('b1');
    await until(() => seen.includes('second crash'), 'the page crash');
    await context.close();
    expect(browser.contexts()).toEqual([]);
    driver.faults.crash('b1');
    await until(() => events.some((e) => e.kind === 'browser.handled'), 'browser.handled');

    expect(seen).toEqual(['first close', 'second crash', 'context close', 'disconnected']);
    const down = events.findIndex((e) => e.kind === 'browser.down');
    const handled = events.findIndex((e) => e.kind === 'browser.handled');
    expect(down).toBeGreaterThanOrEqual(0);
    expect(handled).toBeGreaterThan(down);
    expect(events[handled]!.data).toEqual({ browser: 'b1', listeners: 1 });
    await waitForExit(runId, { timeoutMs: 5000 });
    expect(listRunProcesses(runId)).toEqual([]);
  }, 60_000);
});
