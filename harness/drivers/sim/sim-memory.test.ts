import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/virtual-clock.ts';
import { fullGc } from '../../heap/gc.ts';
import { Recorder } from '../../history/recorder.ts';
import { seededRandom } from '../../random.ts';
import { driveVirtual } from '../../runner/drive-virtual.ts';
import type { SimBrowser } from './sim-browser.ts';
import { DEFAULT_SIM_OPTIONS, SimDriver } from './sim-driver.ts';
import { SIM_MEMORY_SCALE } from './sim-memory.ts';

function sim() {
  const clock = new VirtualClock();
  const driver = new SimDriver(clock, new Recorder(() => clock.now()), seededRandom(1), DEFAULT_SIM_OPTIONS);
  const run = <T>(promise: Promise<T>) =>
    driveVirtual(clock, { until: promise, deadline: Infinity, settle: () => {}, interrupted: () => false }).then(() => promise);
  return { driver, run };
}

const usedHeapMB = () => {
  fullGc();
  return getHeapStatistics().used_heap_size / 1e6;
};

describe('SimMemory', () => {
  it('holds real memory in proportion to what a browser and a page account, until they are gone', async () => {
    const { driver, run } = sim();
    const browser = await run(driver.launch());
    const page = await run(browser.newPage());
    expect(browser.memory?.realBytes).toBeCloseTo(300e6 * SIM_MEMORY_SCALE, -2);
    expect(page.memory?.realBytes).toBeCloseTo(25e6 * SIM_MEMORY_SCALE, -2);
    await run(page.close());
    expect(page.memory).toBeUndefined();
    expect(browser.memory).toBeDefined();
    await run(browser.close());
    expect(browser.memory).toBeUndefined();
  });

  it('shows in the used heap: browsers a caller keeps cost their scaled memory, closed ones nothing', async () => {
    const { driver, run } = sim();
    const before = usedHeapMB();
    const kept: SimBrowser[] = [];
    for (let i = 0; i < 40; i++) kept.push(await run(driver.launch()));
    const held = usedHeapMB() - before;
    // 40 × 0.3 MB, and a little for the objects around them.
    expect(held).toBeGreaterThan(40 * 0.3);
    expect(held).toBeLessThan(40 * 0.3 * 1.5);
    for (const browser of kept) await run(browser.close());
    // The handles are still kept, but a closed browser's memory went with its process.
    expect(usedHeapMB() - before).toBeLessThan(40 * 0.3 * 0.2);
  });
});
