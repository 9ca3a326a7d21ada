import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/virtual-clock.ts';
import type { AnyEvent, EventKind, HistoryEvent } from '../../history/events.ts';
import { Recorder } from '../../history/recorder.ts';
import { seededRandom } from '../../random.ts';
import { driveVirtual } from '../../runner/drive-virtual.ts';
import { CLOSED_MESSAGE, CRASHED_MESSAGE, PAGE_CRASHED_MESSAGE } from './sim-browser.ts';
import { DEFAULT_SIM_OPTIONS, SimDriver } from './sim-driver.ts';

function sim() {
  const clock = new VirtualClock();
  const recorder = new Recorder(() => clock.now());
  const events: AnyEvent[] = [];
  recorder.subscribe((e) => events.push(e));
  const driver = new SimDriver(clock, recorder, seededRandom(1), {
    ...DEFAULT_SIM_OPTIONS,
    timing: { ...DEFAULT_SIM_OPTIONS.timing, navigationJitter: 0 },
  });
  /** Run virtual time until `promise` settles (or nothing is left to run). */
  const settle = async <T>(promise: Promise<T>) => {
    promise.catch(() => {});
    const outcome = await driveVirtual(clock, { until: promise, deadline: Infinity, settle: () => {}, interrupted: () => false });
    return { outcome, promise };
  };
  const kinds = <K extends EventKind>(kind: K) => events.filter((e): e is AnyEvent & HistoryEvent<K> => e.kind === kind);
  return { clock, driver, events, settle, kinds };
}

describe('SimDriver', () => {
  it('fails the armed launches in turn, at once or after their timeout, starting no browser', async () => {
    const { driver, settle, clock, kinds } = sim();
    driver.faults.launchFail(undefined, 'launch');
    driver.faults.launchFail(20_000, 'launch');
    const first = (await settle(driver.launch())).promise;
    await expect(first).rejects.toThrow(/Target page, context or browser has been closed \(launchFail\)/);
    expect(clock.now()).toBe(DEFAULT_SIM_OPTIONS.timing.launchMs);
    const second = (await settle(driver.launch())).promise;
    await expect(second).rejects.toThrow(/Timeout 20000ms exceeded \(launchFail\)/);
    expect(clock.now()).toBe(DEFAULT_SIM_OPTIONS.timing.launchMs + 20_000);
    const third = await (await settle(driver.launch())).promise;
    expect(driver.liveBrowserIds()).toEqual([third.id]);
    expect(kinds('browser.up')).toHaveLength(1);
    expect(kinds('driver.return').map((e) => e.data.ok)).toEqual([false, false, true]);
    await settle(third.close());
  });

  it('fails an armed new page after its timeout, and opens the next one', async () => {
    const { driver, settle, clock, kinds } = sim();
    const browser = await (await settle(driver.launch())).promise;
    driver.faults.launchFail(5_000, 'newPage');
    const before = clock.now();
    const failed = (await settle(browser.newPage())).promise;
    await expect(failed).rejects.toThrow(/browserContext\.newPage: Timeout 5000ms exceeded \(launchFail\)/);
    expect(clock.now() - before).toBe(DEFAULT_SIM_OPTIONS.timing.contextMs + 5_000);
    const page = await (await settle(browser.newPage())).promise;
    expect(page.isClosed()).toBe(false);
    const pageReturns = kinds('driver.return').filter((e) => e.data.op === 'newPage');
    expect(pageReturns.map((e) => [e.data.ok, e.data.created])).toEqual([
      [false, undefined],
      [true, page.id],
    ]);
    await settle(browser.close());
  });

  it('launches, navigates and closes in virtual time, and knows what is alive', async () => {
    const { driver, settle, clock, kinds } = sim();
    const { promise } = await settle(
      (async () => {
        const browser = await driver.launch();
        const page = await browser.newPage();
        expect(driver.liveBrowserIds()).toEqual(['b1']);
        expect(driver.sample()).toEqual({ browsers: 1, pages: 1, memoryMB: 325 });
        await page.goto('http://127.0.0.1:0/store/s/reviews?page=2');
        const reviews = await page.evaluate(() => []);
        await browser.close();
        return reviews;
      })(),
    );
    const reviews = await promise;
    expect(reviews).toHaveLength(10);
    expect((reviews as { id: string }[])[0]!.id).toBe('s-20');
    const t = DEFAULT_SIM_OPTIONS.timing;
    expect(clock.now()).toBe(t.launchMs + t.contextMs + t.newPageMs + t.navigationMs + t.evaluateMs + t.closeMs);
    expect(driver.liveBrowserIds()).toEqual([]);
    expect(kinds('browser.up')).toHaveLength(1);
    expect(kinds('browser.down').map((e) => e.data)).toEqual([{ browser: 'b1', cause: 'close' }]);
    const calls = kinds('driver.call').length;
    expect(kinds('driver.return')).toHaveLength(calls);
  });

  it('a crash fires disconnected, rejects the pending navigation, and counts the browser gone', async () => {
    const { driver, settle, kinds } = sim();
    let disconnected = 0;
    const { promise } = await settle(
      (async () => {
        const browser = await driver.launch();
        browser.on('disconnected', () => disconnected++);
        const page = await browser.newPage();
        const navigation = page.goto('http://127.0.0.1:0/x');
        driver.faults.crash('b1');
        await navigation;
      })(),
    );
    await expect(promise).rejects.toThrow(CLOSED_MESSAGE);
    expect(disconnected).toBe(1);
    expect(driver.liveBrowserIds()).toEqual([]);
    expect(kinds('browser.down').map((e) => e.data.cause)).toEqual(['crash']);
  });

  it('a page crash, as on Chromium: the navigation in flight fails, an evaluate in flight hangs until its page closes, later calls fail; the browser stays up', async () => {
    const { driver, settle, kinds } = sim();
    type Page = Awaited<ReturnType<Awaited<ReturnType<SimDriver['launch']>>['newPage']>>;
    const ready = await settle(
      (async () => {
        const browser = await driver.launch();
        return { browser, first: await browser.newPage(), second: await browser.newPage() };
      })(),
    );
    const { browser, first, second }: { browser: Awaited<ReturnType<SimDriver['launch']>>; first: Page; second: Page } =
      await ready.promise;
    const navigation = first.goto('http://127.0.0.1:0/x').catch((e: Error) => e.message);
    const inFlight = second.evaluate(() => 2).catch((e: Error) => e.message);
    driver.faults.pageCrash('b1');
    expect(await navigation).toBe(`goto: ${PAGE_CRASHED_MESSAGE}`);
    expect(await first.evaluate(() => 3).catch((e: Error) => e.message)).toBe(`evaluate: ${CRASHED_MESSAGE}`);
    expect((await settle(inFlight)).outcome).toBe('stuck');
    expect(browser.isConnected()).toBe(true);
    await settle(second.close());
    expect(await inFlight).toBe(`evaluate: ${CLOSED_MESSAGE}`);
    await settle(browser.close());
    expect(kinds('page.crash').map((e) => e.data.page)).toEqual(['b1/p2', 'b1/p4']);
    expect(kinds('browser.down').map((e) => e.data.cause)).toEqual(['close']);
  });

  it("the site's bad answers: a reset fails the navigation; a 503 or a bot challenge fails reading the reviews, as the real page function does", async () => {
    const { driver, settle } = sim();
    const { promise } = await settle(
      (async () => {
        const browser = await driver.launch();
        const page = await browser.newPage();
        for (const kind of ['reset', 'serverError', 'challenge'] as const) driver.faults.badPage('b1', kind);
        const outcomes: string[] = [];
        for (let i = 0; i < 4; i++) {
          const url = `http://127.0.0.1:0/store/s/reviews?page=${i}`;
          try {
            await page.goto(url);
            const reviews = await page.evaluate(() => [] as unknown[]);
            outcomes.push(`${reviews.length} reviews`);
          } catch (error) {
            outcomes.push((error as Error).message);
          }
        }
        await browser.close();
        return outcomes;
      })(),
    );
    expect(await promise).toEqual([
      'goto: net::ERR_CONNECTION_RESET at http://127.0.0.1:0/store/s/reviews?page=0',
      'evaluate: error page (HTTP 503) at http://127.0.0.1:0/store/s/reviews?page=1',
      'evaluate: bot challenge at http://127.0.0.1:0/store/s/reviews?page=2',
      '10 reviews',
    ]);
  });

  it('a stalled navigation never completes, until its browser is closed', async () => {
    const { driver, settle } = sim();
    let page!: Awaited<ReturnType<Awaited<ReturnType<SimDriver['launch']>>['newPage']>>;
    const ready = await settle(
      (async () => {
        const browser = await driver.launch();
        page = await browser.newPage();
        return browser;
      })(),
    );
    const browser = await ready.promise;
    driver.faults.stall('b1');
    const stalled = await settle(page.goto('http://127.0.0.1:0/never'));
    expect(stalled.outcome).toBe('stuck');
    await settle(browser.close());
    await expect(stalled.promise).rejects.toThrow(CLOSED_MESSAGE);
  });

  it('a hang delays navigations until it ends; a slow close takes its time', async () => {
    const { driver, settle, clock } = sim();
    const { promise } = await settle(
      (async () => {
        const browser = await driver.launch();
        const page = await browser.newPage();
        const start = clock.now();
        driver.faults.hang('b1', 60_000);
        await page.goto('http://127.0.0.1:0/slow');
        const navigated = clock.now() - start;
        driver.faults.slowClose('b1', 30_000);
        const closeStart = clock.now();
        await browser.close();
        return { navigated, closed: clock.now() - closeStart };
      })(),
    );
    expect(await promise).toEqual({ navigated: 60_000, closed: 30_000 });
  });

  it('calls on a closed page fail at once, as in Playwright; shutdown kills what is left', async () => {
    const { driver, settle, kinds } = sim();
    const { promise } = await settle(
      (async () => {
        const browser = await driver.launch();
        const page = await browser.newPage();
        await page.close();
        await expect(page.goto('http://127.0.0.1:0/')).rejects.toThrow(`goto: ${CLOSED_MESSAGE}`);
        await driver.launch();
      })(),
    );
    await promise;
    expect(driver.liveBrowserIds()).toEqual(['b1', 'b2']);
    await driver.shutdown();
    expect(driver.liveBrowserIds()).toEqual([]);
    expect(kinds('browser.down').map((e) => e.data.cause)).toEqual(['kill', 'kill']);
  });

  it('has Playwright’s listener surface: page close and crash, context close, contexts() and pages()', async () => {
    const { driver, settle } = sim();
    const seen: string[] = [];
    const { promise } = await settle(
      (async () => {
        const browser = await driver.launch();
        const context = await browser.newContext();
        const [first, second] = [await context.newPage(), await context.newPage()];
        expect(browser.contexts()).toEqual([context]);
        expect(context.pages()).toEqual([first, second]);
        first.on('crash', () => seen.push('crash'));
        first.on('close', () => seen.push('first close'));
        second.once('close', () => seen.push('second close'));
        context.on('close', () => seen.push('context close'));
        const removed = () => seen.push('removed');
        browser.on('disconnected', removed).off('disconnected', removed);
        driver.faults.pageCrash('b1');
        await first.close();
        expect(context.pages()).toEqual([second]);
        await context.close();
        expect(browser.contexts()).toEqual([]);
        await browser.close();
      })(),
    );
    await promise;
    expect(seen).toEqual(['crash', 'first close', 'second close', 'context close']);
  });

  it('records that the pool handled a crash once its disconnected listeners (and their promises) are done', async () => {
    const { driver, settle, events, clock } = sim();
    const { promise } = await settle(
      (async () => {
        const browser = await driver.launch();
        browser.on('disconnected', () => undefined);
        // A pool that decrements only after closing the dead browser has confirmed.
        browser.on('disconnected', async () => {
          await browser.close();
        });
        driver.faults.crash('b1');
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 10, 'test'));
      })(),
    );
    await promise;
    const order = events.filter((e) => e.kind !== 'driver.call' || e.data.op !== 'launch').map((e) => e.kind);
    expect(order.slice(-4)).toEqual(['browser.down', 'driver.call', 'driver.return', 'browser.handled']);
    expect(events.at(-1)?.data).toEqual({ browser: 'b1', listeners: 2 });
  });
});
