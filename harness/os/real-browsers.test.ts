import { readFileSync } from 'node:fs';
import { type Browser, chromium, firefox } from 'playwright';
import { afterAll, describe, expect, it } from 'vitest';
import { needsBrowser } from '../../test/needs.ts';
import { launchOptionsFor, type RealBrowserName } from '../drivers/playwright/installed-browsers.ts';
import { markerEnv, newRunId } from './browser-marker.ts';
import { readRunMarker, readStat } from './proc.ts';
import { killRun, listRunProcesses, scanRun, signalBrowser, waitForExit } from './run-processes.ts';
import { killRuns } from './testing/processes.ts';

const runs: string[] = [];
const browsers: Browser[] = [];
afterAll(async () => {
  killRuns(runs);
  await Promise.allSettled(browsers.map((browser) => browser.close()));
});

const ENGINES = { chromium, firefox };

async function launch(name: RealBrowserName, runId: string, browserId: string): Promise<Browser> {
  runs.push(runId);
  const browser = await ENGINES[name].launch(launchOptionsFor(name, markerEnv(runId, browserId)));
  browsers.push(browser);
  const page = await (await browser.newContext()).newPage();
  await page.goto('data:text/html,<p>tally</p>');
  return browser;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Launch, find every process, SIGKILL the main as a crash does, find what it leaves behind, then clean up. */
async function crashAndReap(name: RealBrowserName, expectChild: RegExp, childrenKeepMarker: boolean): Promise<void> {
  const runId = newRunId();
  const browser = await launch(name, runId, 'b1');

  const [tree, ...others] = scanRun(runId);
  expect(others).toEqual([]);
  expect(tree?.browser).toBe('b1');
  const mainPid = tree!.mainPid!;
  expect(readStat(mainPid)).toMatchObject({ ppid: process.pid, pgid: mainPid });
  expect(readRunMarker(mainPid)).toEqual({ run: runId, browser: 'b1' });
  expect(tree!.pids.length).toBeGreaterThan(2);
  expect(tree!.pids.map(commandLine).some((line) => expectChild.test(line))).toBe(true);
  // Each process is the browser's by its own marker or by belonging to the main's process group.
  for (const pid of tree!.pids) {
    const byMarker = readRunMarker(pid)?.run === runId;
    expect(byMarker || readStat(pid)?.pgid === mainPid).toBe(true);
  }
  expect(tree!.pssMB).toBeGreaterThan(50);

  // Stopped first, the children cannot exit when their main dies: what a slow exit looks like, every time.
  const stopped = signalBrowser(runId, 'b1', 'SIGSTOP', 'all');
  // A browser may start another process (Firefox a content process) between the scan and the stop:
  // every process scanned is stopped, and whatever else is stopped is this browser's too.
  expect([...stopped]).toEqual(expect.arrayContaining(tree!.pids));
  for (const pid of stopped) expect(readRunMarker(pid)?.run === runId || readStat(pid)?.pgid === mainPid).toBe(true);
  const disconnected = new Promise<void>((resolve) => browser.on('disconnected', () => resolve()));
  expect(signalBrowser(runId, 'b1', 'SIGKILL', 'main')).toEqual([mainPid]);
  await disconnected;
  // The pipe closes while the kernel is still tearing the main down (its threads, its memory): on
  // a loaded machine it stays listed a while after the disconnect. Bounded, so a main that never
  // goes still fails below.
  for (const deadline = Date.now() + 10_000; listRunProcesses(runId).some((p) => p.pid === mainPid) && Date.now() < deadline; )
    await new Promise((resolve) => setTimeout(resolve, 20));
  const children = tree!.pids.filter((pid) => pid !== mainPid);
  // Chromium's children write their process title over their environment: only their group ties them to b1.
  expect(children.every((pid) => readRunMarker(pid)?.run === runId)).toBe(childrenKeepMarker);
  expect(scanRun(runId, { pss: false })).toEqual([{ browser: 'b1', pids: children, pssMB: 0 }]);

  expect(killRun(runId)).toBe(children.length);
  expect(await waitForExit(runId, { timeoutMs: 5000 })).toBe(true);
  expect(listRunProcesses(runId)).toEqual([]);
}

describe.runIf(needsBrowser('chromium'))('a real Chromium run', () => {
  it('is found whole (main, zygote, renderers) and cleaned up after its main is SIGKILLed', async () => {
    await crashAndReap('chromium', /--type=renderer/, false);
  });

  it('finds two browsers of one run apart', async () => {
    const runId = newRunId();
    await launch('chromium', runId, 'b1');
    await launch('chromium', runId, 'b2');
    const trees = scanRun(runId);
    expect(trees.map((t) => t.browser)).toEqual(['b1', 'b2']);
    expect(new Set(trees.flatMap((t) => t.pids)).size).toBe(trees[0]!.pids.length + trees[1]!.pids.length);
    for (const tree of trees) expect(tree.mainPid).toBeDefined();
    killRun(runId);
    expect(await waitForExit(runId, { timeoutMs: 5000 })).toBe(true);
  });
});

describe.runIf(needsBrowser('firefox'))('a real Firefox run', () => {
  it('is found whole (main and content processes) and cleaned up after its main is SIGKILLed', async () => {
    await crashAndReap('firefox', /-contentproc/, true);
  });
});
