import type { AnyEvent } from '../../history/events.ts';
import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import type { Violation } from '../violation.ts';
import { Aspect, browserOf, knownTrack, type World } from '../world.ts';
import { counterCulprit } from './counter-culprit.ts';
import { pagesOf } from './pages-close-with-session.ts';

export interface PagesPerBrowserState {
  /** Browsers over the limit at the last settled point: each is reported when it goes over, not while it stays so. */
  over: Set<string>;
}

/**
 * No browser holds more open pages than the pool declares it opens in one
 * (`pool.maxPagesPerBrowser`, Crawlee's `maxOpenPagesPerBrowser`), leaving out pages whose close is
 * in flight (a pool may open the next page before the last one's close returns) and browsers being
 * closed. A pool that loses count of the pages in a shared browser piles them up there: the
 * browser's memory grows until it crashes, taking every job on it down. Said nothing when the
 * pool declares no limit.
 */
export const pagesPerBrowser: Invariant<PagesPerBrowserState> = {
  name: 'pages-per-browser',
  kinds: ['settle'],
  settleOn: Aspect.driver | Aspect.config,
  init: () => ({ over: new Set() }),
  check(world, state, event) {
    const max = world.maxPagesPerBrowser;
    if (max === undefined || (world.livePages <= max && state.over.size === 0)) return NO_VIOLATIONS;
    let found: Violation[] | undefined;
    for (const browser of world.contextsOf.keys()) {
      const pages = world.closing.has(browser) ? 0 : pagesOf(world, browser) - pagesClosing(world, browser);
      if (pages <= max) state.over.delete(browser);
      else if (!state.over.has(browser)) {
        state.over.add(browser);
        (found ??= []).push(tooMany(world, event, browser, pages, max));
      }
    }
    for (const browser of state.over) if (!world.contextsOf.has(browser)) state.over.delete(browser);
    return found ?? NO_VIOLATIONS;
  },
};

/** Pages of `browser` whose close (or their context's) is in flight. */
function pagesClosing(world: World, browser: string): number {
  let n = 0;
  for (const target of world.pendingPartCloses.values()) {
    if (browserOf(target) !== browser) continue;
    n += world.contextOfPage.has(target) ? 1 : (world.contextsOf.get(browser)?.get(target)?.size ?? 0);
  }
  return n;
}

function tooMany(world: World, event: AnyEvent, browser: string, pages: number, max: number): Violation {
  return violationAt(
    world,
    'pages-per-browser',
    event,
    `browser ${browser} has ${pages} pages > maxPagesPerBrowser(${max})`,
    { browser, pages, maxPagesPerBrowser: max },
    newestPageCulprit(world, browser),
  );
}

/** The session working on the newest page of the browser, else the latest increment. */
function newestPageCulprit(world: World, browser: string) {
  let newest: string | undefined;
  for (const pages of world.contextsOf.get(browser)?.values() ?? [])
    for (const page of pages) if (world.sessionOfPage.has(page)) newest = page;
  const session = newest === undefined ? undefined : world.sessionOfPage.get(newest);
  return session === undefined ? counterCulprit(world, true) : { session, at: knownTrack(world, session)?.counterAt };
}
