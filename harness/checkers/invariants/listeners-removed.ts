import type { AnyEvent } from '../../history/events.ts';
import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import type { Violation } from '../violation.ts';
import type { World } from '../world.ts';

interface BrowserListeners {
  /** Listeners beyond one per job working on the browser, when its first job began: the pool's own for the browser. */
  base: number | undefined;
  /** Jobs working on the browser now (from `job.work` to `job.end`). */
  working: number;
  /** The job that last ended on the browser: the first suspect when its listeners grew. */
  lastEnded: string | undefined;
  broken: boolean;
}

export interface ListenersRemovedState {
  browsers: Map<string, BrowserListeners>;
  browserOf: Map<string, string>;
}

/**
 * Listeners a job registers on a browser it shares are removed when the job ends: the listeners the
 * driver counts on a browser, less those of the jobs working on it, never grow past what they were
 * when its first job began (the pool's own listeners for the browser). Counted at each `job.work`
 * (`listeners`) and when the browser goes down (`browser.handled`), give or take the jobs the pool
 * is still acquiring for, which may have registered theirs already. A `disconnected` listener left
 * per job piles up on a browser that lives on: each holds its job's closure, and each runs on the
 * browser's end.
 */
export const listenersRemoved: Invariant<ListenersRemovedState> = {
  name: 'listeners-removed',
  kinds: ['job.work', 'job.end', 'browser.handled'],
  init: () => ({ browsers: new Map(), browserOf: new Map() }),
  check(world, state, event) {
    switch (event.kind) {
      case 'job.work': {
        const session = event.session;
        if (session === undefined || state.browserOf.has(session)) return NO_VIOLATIONS;
        const browser = event.data.browser;
        state.browserOf.set(session, browser);
        const tracked = trackOf(state, browser);
        tracked.working++;
        const { listeners } = event.data;
        if (listeners === undefined) return NO_VIOLATIONS;
        if (tracked.base === undefined) {
          tracked.base = listeners - tracked.working;
          return NO_VIOLATIONS;
        }
        return judge(world, tracked, event, browser, listeners);
      }
      case 'job.end': {
        const session = event.session;
        const browser = session === undefined ? undefined : state.browserOf.get(session);
        if (browser === undefined) return NO_VIOLATIONS;
        state.browserOf.delete(session!);
        const tracked = state.browsers.get(browser);
        if (tracked !== undefined) {
          tracked.working--;
          tracked.lastEnded = session;
        }
        return NO_VIOLATIONS;
      }
      case 'browser.handled': {
        const { browser, listeners } = event.data;
        const tracked = state.browsers.get(browser);
        if (tracked === undefined) return NO_VIOLATIONS;
        state.browsers.delete(browser);
        return tracked.base === undefined ? NO_VIOLATIONS : judge(world, tracked, event, browser, listeners);
      }
      default:
        return NO_VIOLATIONS;
    }
  },
};

function trackOf(state: ListenersRemovedState, browser: string): BrowserListeners {
  let tracked = state.browsers.get(browser);
  if (tracked === undefined) {
    tracked = { base: undefined, working: 0, lastEnded: undefined, broken: false };
    state.browsers.set(browser, tracked);
  }
  return tracked;
}

function judge(world: World, tracked: BrowserListeners, event: AnyEvent, browser: string, listeners: number): Violation[] {
  const left = listeners - tracked.working - tracked.base!;
  const broken = left > world.acquiring;
  const starts = broken && !tracked.broken;
  tracked.broken = broken;
  if (!starts) return NO_VIOLATIONS;
  const session = tracked.lastEnded;
  const message = `${left} listener${left === 1 ? '' : 's'} left on ${browser} by jobs that ended${session === undefined ? '' : ` (last: ${session})`}`;
  const values = { browser, listeners, working: tracked.working, base: tracked.base!, acquiring: world.acquiring };
  return [violationAt(world, 'listeners-removed', event, message, values, session === undefined ? {} : { session })];
}
