// Playwright's own objects satisfy the driver types, so a pool written against Playwright runs on
// every driver unchanged. `npm test` type-checks this file: a mismatch fails the build.
import type { Browser, BrowserContext, Page } from 'playwright';
import { describe, expectTypeOf, it } from 'vitest';
import type { RecordedBrowser, RecordedContext, RecordedPage } from './playwright/recorded-browser.ts';
import type { SimBrowser, SimContext, SimPage } from './sim/sim-browser.ts';
import type { BrowserLike, ContextLike, PageLike } from './types.ts';

describe('driver types', () => {
  it("are a subset of Playwright's", () => {
    expectTypeOf<Browser>().toExtend<BrowserLike>();
    expectTypeOf<BrowserContext>().toExtend<ContextLike>();
    expectTypeOf<Page>().toExtend<PageLike>();
  });

  it('are met by the simulated browser', () => {
    expectTypeOf<SimBrowser>().toExtend<BrowserLike>();
    expectTypeOf<SimContext>().toExtend<ContextLike>();
    expectTypeOf<SimPage>().toExtend<PageLike>();
  });

  it('are met by the recorded (Playwright and Camoufox) browser', () => {
    expectTypeOf<RecordedBrowser>().toExtend<BrowserLike>();
    expectTypeOf<RecordedContext>().toExtend<ContextLike>();
    expectTypeOf<RecordedPage>().toExtend<PageLike>();
  });
});
