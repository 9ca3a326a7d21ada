import type { AnyEvent } from '../../history/events.ts';
import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import type { Violation } from '../violation.ts';
import { Aspect, browserOf, knownTrack, type World } from '../world.ts';

export interface PagesCloseWithSessionState {
  /** Pages still open when their session ended, with that session, until they close or are judged. */
  open: Map<string, string>;
}

/**
 * A session's page does not outlive it: by the first settled point after the pool says the job is
 * over, the page it worked on is closed, or a close of it (its context, its browser) is in flight,
 * or another session works on it (a pool may hand a page on). A page left open in a browser that
 * stays up is a leak the counter does not show when it counts browsers or contexts, and that the
 * memory slope hides among the crashes. A context is not judged: in shared browsers one context
 * rightly serves job after job.
 */
export const pagesCloseWithSession: Invariant<PagesCloseWithSessionState> = {
  name: 'pages-close-with-session',
  kinds: ['job.end', 'settle'],
  settleOn: Aspect.driver | Aspect.jobs,
  init: () => ({ open: new Map() }),
  check(world, state, event) {
    if (event.kind === 'job.end') {
      const session = event.session;
      const page = session === undefined ? undefined : knownTrack(world, session)?.page;
      if (session !== undefined && page !== undefined && world.sessionOfPage.get(page) === session) state.open.set(page, session);
      return NO_VIOLATIONS;
    }
    if (state.open.size === 0) return NO_VIOLATIONS;
    let found: Violation[] | undefined;
    for (const [page, session] of state.open) {
      if (world.sessionOfPage.get(page) !== session) state.open.delete(page);
      else if (!closing(world, page)) {
        state.open.delete(page);
        (found ??= []).push(leak(world, event, page, session));
      }
    }
    return found ?? NO_VIOLATIONS;
  },
};

/** A close that takes the page down is in flight: of the page, its context or its browser. */
function closing(world: World, page: string): boolean {
  const browser = browserOf(page);
  if (world.closing.has(browser)) return true;
  const context = world.contextOfPage.get(page);
  for (const target of world.pendingPartCloses.values()) if (target === page || target === context) return true;
  return false;
}

function leak(world: World, event: AnyEvent, page: string, session: string): Violation {
  const browser = browserOf(page);
  const values = { page, browser, pagesInBrowser: pagesOf(world, browser), livePages: world.livePages };
  const culprit = { session, at: knownTrack(world, session)?.counterAt };
  return violationAt(world, 'pages-close-with-session', event, `page ${page} of ${session} outlives its session`, values, culprit);
}

/** Pages open in a browser, all its contexts together. */
export function pagesOf(world: World, browser: string): number {
  let pages = 0;
  for (const contextPages of world.contextsOf.get(browser)?.values() ?? []) pages += contextPages.size;
  return pages;
}
