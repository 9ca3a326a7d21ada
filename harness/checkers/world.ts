import {
  type AnyEvent,
  type CountedLevel,
  type EventData,
  type HistoryEvent,
  isPageTrafficEvent,
  type LockEntry,
} from '../history/events.ts';
import { LockOrphans } from './lock-orphans.ts';
import { LockSessions } from './lock-sessions.ts';
import { RecentEvents } from './recent-events.ts';
import { updateSessionSet } from './session-set.ts';

/**
 * How many ended jobs keep their session's track. Older ones are forgotten if nothing about them
 * is left open (work stopped, counter balanced, no longer a session of the pool), so a long soak
 * holds a bounded number of tracks. A late event about a forgotten session starts a fresh track:
 * its violations are still found.
 */
export const ENDED_SESSIONS_KEPT = 4096;

/** What the checkers know about one session (= job id), from the events that name it. */
export interface SessionTrack {
  readonly id: string;
  /** `job.work` minus `job.work.end`: above 0 while the job's work runs. */
  workRunning: number;
  /** Between `job.start` and the job's first `job.work` (or its end): the pool is acquiring for it. */
  acquiring: boolean;
  /** The page the pool handed the job's work (from `job.work`), when the driver names it. */
  page: string | undefined;
  /** `job.end` was seen: the pool considers the job over. */
  ended: boolean;
  /** The `pool.counter` changes the pool reported for this session. */
  increments: number;
  decrements: number;
  decrementPaths: string[];
  /** Call site of the session's last `pool.counter` change. */
  counterAt: string | undefined;
  /** Call site of the session's last `pool.lock` change (where a lock was taken or let go). */
  lockAt: string | undefined;
  /** Call site of the session's `pool.watchdog`, if it fired. */
  watchdogAt: string | undefined;
  /** Call site at which the pool called the session's work (`job.work`). */
  workAt: string | undefined;
}

/**
 * The model every invariant reads: the pool's own bookkeeping (from `settle`), the driver's
 * ground truth (browsers alive, launches and closes in flight), the jobs, the counter changes the
 * pool reported, and the recent events. Folded from the history one event at a time.
 */
export interface World {
  /** The pool's snapshot as of the last `settle`. */
  counter: number;
  /** What the counter counts, one per session (`inspect().counts`; browsers unless the pool says otherwise). */
  counts: CountedLevel;
  sessions: readonly string[];
  sessionSet: Set<string>;
  locks: readonly LockEntry[];
  /** The sessions `locks` names, kept equal to it. */
  lockSessions: LockSessions;
  /** The sessions `locks` names that are not among `sessions`. */
  lockOrphans: LockOrphans;
  /**
   * The ids whose membership of `sessionSet` or `lockSessions` the latest settle that changed
   * either may have changed; every id may have when `settleChangedAll` (a list changed too much to
   * say which moved). Invariants about those sets look at these ids rather than at every one.
   */
  settleChanged: string[];
  settleChangedAll: boolean;
  /** Most browsers allowed, from `run.start`'s `pool_config`, when the pool has that setting. */
  maxBrowsers: number | undefined;
  /** Most pages open in one browser, from `pool_config.maxPagesPerBrowser`, when the pool declares it. */
  maxPagesPerBrowser: number | undefined;
  /**
   * Whether the operating system's view of the browsers comes (`os.sample`): a run of a real driver
   * says so by its `runId`; a run without one (the sim) never samples, so nothing waits for its
   * browsers' processes to go. A history without `run.start` is taken to be sampled.
   */
  processesSampled: boolean;

  /** Browsers alive, by id. */
  alive: Set<string>;
  /** Launches called and not yet returned. */
  launching: number;
  /**
   * Browsers with a close of the whole browser called and not yet returned, alive or already dead:
   * a pool may give a browser's slot back only once its close confirms, and closing a browser that
   * crashed is such a close too.
   */
  closing: Set<string>;
  /** Browsers gone whose `browser.handled` has not come yet: the pool may still count them. */
  unhandled: Set<string>;
  /** Pages and contexts being opened, and being closed: the rest of acquiring and releasing a browser. */
  opening: number;
  closingParts: number;
  /**
   * Live contexts, by browser, each with its live pages (ids from `driver.return`'s `created`), and
   * the context of each live page: the ground truth for a pool that counts contexts or pages.
   */
  contextsOf: Map<string, Map<string, Set<string>>>;
  contextOfPage: Map<string, string>;
  /** The session working on each live page, from `job.work`. */
  sessionOfPage: Map<string, string>;
  liveContexts: number;
  livePages: number;
  /** The contexts and pages that went down with a browser, kept while the browser is in flight. */
  lostWith: Map<string, { contexts: number; pages: number }>;
  /** Jobs the pool is acquiring for: in shared browsers several may wait on one launch, each counted. */
  acquiring: number;
  /** `pool.close()` returned (`pool.closed`): no job may work or use a browser from here on. */
  poolClosed: boolean;
  /** The `driver.call` seqs still pending, by what they do (browser closes with their browser). */
  pendingLaunches: Set<number>;
  pendingCloses: Map<number, string>;
  pendingOpens: Set<number>;
  pendingPartCloses: Map<number, string>;

  /** The sessions seen, by id (see ENDED_SESSIONS_KEPT). */
  perSession: Map<string, SessionTrack>;
  /**
   * The track looked up last: a job's events come in runs (its work, its lock; its end, the
   * counter), and each lookup in a map of thousands of sessions is a cache miss between the run's
   * own work.
   */
  lastTrack: SessionTrack | undefined;
  /** The last ended jobs, written round-robin: the one overwritten is the one considered for forgetting. */
  endedSessions: (string | undefined)[];
  endedNext: number;
  /** The latest counter change the pool reported, and the latest in each direction. */
  lastCounterEvent: HistoryEvent<'pool.counter'> | undefined;
  lastIncrement: HistoryEvent<'pool.counter'> | undefined;
  lastDecrement: HistoryEvent<'pool.counter'> | undefined;
  /** The run's last events, from which a violation's context (its session's events) is drawn. */
  recent: RecentEvents;
  /**
   * What moved since the suite last judged a settled point, as `Aspect` bits: the suite calls a
   * settle invariant only when something it reads did, and clears them once it has judged.
   */
  changes: number;
}

/**
 * The parts of the world a settle invariant can read, so that a settled point calls only the
 * invariants whose inputs moved (`Invariant.settleOn`): most settles follow a driver call, and the
 * lock and bound checks have nothing new to judge there.
 */
export const Aspect = {
  /** The pool's counter, or what it counts (`settle`). */
  counter: 1,
  /** The pool's session list (`settle`). */
  sessions: 2,
  /** The pool's lock list (`settle`). */
  locks: 4,
  /** The driver's ground truth: browsers alive or down, anything launched, opened or closed, or in flight. */
  driver: 8,
  /** Jobs starting, working or ending: what the pool is acquiring for, which page a session works on. */
  jobs: 16,
  /** The pool's limits (`run.start`). */
  config: 32,
  /** The operating system's view of the processes (`os.sample`). */
  samples: 64,
} as const;

/** Every aspect: a settle invariant that does not say what it reads is called whenever anything moved. */
export const ALL_ASPECTS: number = Object.values(Aspect).reduce((all, aspect) => all | aspect, 0);

export function createWorld(): World {
  return {
    counter: 0,
    counts: 'browsers',
    sessions: [],
    sessionSet: new Set(),
    locks: [],
    lockSessions: new LockSessions(),
    lockOrphans: new LockOrphans(),
    settleChanged: [],
    settleChangedAll: false,
    maxBrowsers: undefined,
    maxPagesPerBrowser: undefined,
    processesSampled: true,
    alive: new Set(),
    launching: 0,
    closing: new Set(),
    unhandled: new Set(),
    opening: 0,
    closingParts: 0,
    contextsOf: new Map(),
    contextOfPage: new Map(),
    sessionOfPage: new Map(),
    liveContexts: 0,
    livePages: 0,
    lostWith: new Map(),
    acquiring: 0,
    poolClosed: false,
    pendingLaunches: new Set(),
    pendingCloses: new Map(),
    pendingOpens: new Set(),
    pendingPartCloses: new Map(),
    perSession: new Map(),
    lastTrack: undefined,
    endedSessions: new Array<string | undefined>(ENDED_SESSIONS_KEPT).fill(undefined),
    endedNext: 0,
    lastCounterEvent: undefined,
    lastIncrement: undefined,
    lastDecrement: undefined,
    recent: new RecentEvents(),
    changes: 0,
  };
}

/** The session's track, if it has one (without making one): the one folded last is at hand. */
export function knownTrack(world: World, id: string): SessionTrack | undefined {
  const last = world.lastTrack;
  return last !== undefined && last.id === id ? last : world.perSession.get(id);
}

export function sessionTrack(world: World, id: string): SessionTrack {
  let track = knownTrack(world, id);
  if (track === undefined) {
    track = {
      id,
      workRunning: 0,
      acquiring: false,
      page: undefined,
      ended: false,
      increments: 0,
      decrements: 0,
      decrementPaths: [],
      counterAt: undefined,
      lockAt: undefined,
      watchdogAt: undefined,
      workAt: undefined,
    };
    world.perSession.set(id, track);
  }
  world.lastTrack = track;
  return track;
}

function trackOf(world: World, event: AnyEvent): SessionTrack | undefined {
  return event.session === undefined ? undefined : sessionTrack(world, event.session);
}

/** Fold one event into `world`, in place. O(1) except `settle`, which is O(sessions). */
export function foldEvent(world: World, event: AnyEvent): void {
  // Page traffic (`goto` and `evaluate` calls and their returns): three quarters of a run's events,
  // and nothing the checkers model moves with it. The fold passes over it, and it is not among the
  // recent events a violation carries: those are the session's bookkeeping (its job, counter,
  // locks, launches, opens and closes, faults), which the traffic would crowd out of the window.
  if (isPageTrafficEvent(event)) return;
  world.recent.push(event);

  switch (event.kind) {
    case 'driver.call': {
      const { op, target } = event.data;
      world.changes |= Aspect.driver;
      if (op === 'launch') {
        world.pendingLaunches.add(event.seq);
        world.launching = world.pendingLaunches.size;
      } else if (op === 'newPage' || op === 'newContext') {
        world.pendingOpens.add(event.seq);
        world.opening = world.pendingOpens.size;
      } else if (op === 'close') {
        if (isBrowserId(target)) {
          world.pendingCloses.set(event.seq, target);
          world.closing.add(target);
        } else {
          world.pendingPartCloses.set(event.seq, target);
          world.closingParts = world.pendingPartCloses.size;
        }
      }
      return;
    }
    case 'driver.return': {
      const { op, call } = event.data;
      world.changes |= Aspect.driver;
      if (op === 'launch') {
        world.pendingLaunches.delete(call);
        world.launching = world.pendingLaunches.size;
      } else if (op === 'newPage' || op === 'newContext') {
        world.pendingOpens.delete(call);
        world.opening = world.pendingOpens.size;
        if (event.data.created !== undefined) opened(world, op, event.data.target, event.data.created);
      } else if (op === 'close') {
        const browser = world.pendingCloses.get(call);
        if (browser === undefined) {
          world.pendingPartCloses.delete(call);
          world.closingParts = world.pendingPartCloses.size;
          if (event.data.ok) closedPart(world, event.data.target);
          return;
        }
        world.pendingCloses.delete(call);
        if (!hasPendingClose(world, browser)) {
          world.closing.delete(browser);
          forgetLost(world, browser);
        }
      }
      return;
    }
    case 'browser.up':
      world.changes |= Aspect.driver;
      world.alive.add(event.data.browser);
      return;
    case 'browser.down':
      world.changes |= Aspect.driver;
      world.alive.delete(event.data.browser);
      world.unhandled.add(event.data.browser);
      browserGone(world, event.data.browser);
      return;
    case 'browser.handled':
      world.changes |= Aspect.driver;
      world.unhandled.delete(event.data.browser);
      forgetLost(world, event.data.browser);
      return;
    // Only the rare events about a job's life look its session up: the common ones (driver calls,
    // settles, timers) must not pay a map lookup each.
    case 'job.start': {
      const track = trackOf(world, event);
      if (track && !track.acquiring) {
        track.acquiring = true;
        world.acquiring++;
        world.changes |= Aspect.jobs;
      }
      return;
    }
    case 'job.work': {
      const track = trackOf(world, event);
      if (!track) return;
      track.workRunning++;
      if (event.at !== undefined) track.workAt = event.at;
      acquired(world, track);
      const { page } = event.data;
      if (page !== undefined && world.contextOfPage.has(page)) {
        track.page = page;
        world.sessionOfPage.set(page, track.id);
        world.changes |= Aspect.jobs;
      }
      return;
    }
    case 'job.work.end': {
      const track = trackOf(world, event);
      if (track && track.workRunning > 0) track.workRunning--;
      return;
    }
    case 'job.end': {
      const track = trackOf(world, event);
      if (!track) return;
      track.ended = true;
      acquired(world, track);
      rememberEnded(world, track.id);
      // What the session leaves open is judged at the next settled point, even if nothing else moved.
      world.changes |= Aspect.jobs;
      return;
    }
    case 'pool.counter': {
      const track = trackOf(world, event);
      world.lastCounterEvent = event;
      if (track && event.at !== undefined) track.counterAt = event.at;
      if (event.data.delta > 0) {
        world.lastIncrement = event;
        if (track) track.increments++;
      } else {
        world.lastDecrement = event;
        if (track) {
          track.decrements++;
          track.decrementPaths.push(event.data.path);
        }
      }
      return;
    }
    case 'pool.lock': {
      const track = trackOf(world, event);
      if (track && event.at !== undefined) track.lockAt = event.at;
      return;
    }
    case 'pool.watchdog': {
      const track = trackOf(world, event);
      if (track && event.at !== undefined) track.watchdogAt = event.at;
      return;
    }
    case 'settle':
      foldSettle(world, event.data);
      return;
    case 'os.sample':
      world.changes |= Aspect.samples;
      return;
    case 'pool.closed':
      world.poolClosed = true;
      return;
    case 'run.start': {
      world.changes |= Aspect.config;
      const max = event.data.pool_config.maxBrowsers;
      if (typeof max === 'number' && Number.isFinite(max)) world.maxBrowsers = max;
      const maxPages = event.data.pool_config.maxPagesPerBrowser;
      if (typeof maxPages === 'number' && Number.isFinite(maxPages)) world.maxPagesPerBrowser = maxPages;
      world.processesSampled = event.data.runId !== undefined;
      return;
    }
    default:
      return;
  }
}

function rememberEnded(world: World, session: string): void {
  const oldest = world.endedSessions[world.endedNext];
  world.endedSessions[world.endedNext] = session;
  if (++world.endedNext === ENDED_SESSIONS_KEPT) world.endedNext = 0;
  if (oldest === undefined) return;
  const track = world.perSession.get(oldest);
  if (track === undefined || !canForget(world, track)) return;
  world.perSession.delete(oldest);
  if (world.lastTrack === track) world.lastTrack = undefined;
}

/**
 * Nothing can still go wrong with this session that its track would be needed to explain. A lock
 * it left behind is not a reason to keep it: once the session is gone from the pool, that lock was
 * already reported as an orphan when it became one.
 */
function canForget(world: World, track: SessionTrack): boolean {
  return track.ended && track.workRunning === 0 && track.increments === track.decrements && !world.sessionSet.has(track.id);
}

/** A field absent from a settle event did not change since the previous one. */
function foldSettle(world: World, data: EventData['settle']): void {
  if (data.counter !== undefined || data.counts !== undefined) world.changes |= Aspect.counter;
  if (data.counter !== undefined) world.counter = data.counter;
  if (data.counts !== undefined) world.counts = data.counts;
  if (data.sessions === undefined && data.locks === undefined) return;
  const changed = world.settleChanged;
  changed.length = 0;
  let exact = true;
  if (data.sessions !== undefined) {
    const previous = world.sessions;
    world.sessions = data.sessions;
    world.changes |= Aspect.sessions;
    exact = updateSessionSet(world.sessionSet, previous, data.sessions, changed);
  }
  if (data.locks !== undefined) {
    world.locks = data.locks;
    world.changes |= Aspect.locks;
    exact = world.lockSessions.update(data.locks, changed) && exact;
  }
  world.settleChangedAll = !exact;
  world.lockOrphans.update(world.locks, world.lockSessions, world.sessionSet, exact ? changed : undefined);
}

function acquired(world: World, track: SessionTrack): void {
  if (!track.acquiring) return;
  track.acquiring = false;
  world.acquiring--;
  world.changes |= Aspect.jobs;
}

/** A context or page opened: `target` is the browser (for a context) or the context (for a page) it opened in. */
function opened(world: World, op: 'newPage' | 'newContext', target: string, created: string): void {
  const browser = browserOf(created);
  let contexts = world.contextsOf.get(browser);
  if (contexts === undefined) {
    contexts = new Map();
    world.contextsOf.set(browser, contexts);
  }
  if (op === 'newContext') {
    contexts.set(created, new Set());
    world.liveContexts++;
    return;
  }
  let pages = contexts.get(target);
  if (pages === undefined) {
    // A page opened straight on the browser, in a context of its own that no `newContext` showed.
    pages = new Set();
    contexts.set(target, pages);
  }
  pages.add(created);
  world.contextOfPage.set(created, target);
  world.livePages++;
}

/** A close of a page or a context returned: it is gone, and a context's pages with it. */
function closedPart(world: World, target: string): void {
  const contexts = world.contextsOf.get(browserOf(target));
  if (contexts === undefined) return;
  const context = world.contextOfPage.get(target);
  if (context !== undefined) {
    world.contextOfPage.delete(target);
    world.sessionOfPage.delete(target);
    if (contexts.get(context)?.delete(target)) world.livePages--;
    return;
  }
  const pages = contexts.get(target);
  if (pages === undefined) return;
  contexts.delete(target);
  if (target !== browserOf(target)) world.liveContexts--;
  for (const page of pages) pageGone(world, page);
  world.livePages -= pages.size;
}

/** A browser went down, and everything in it: what was lost is kept while the browser is in flight. */
function browserGone(world: World, browser: string): void {
  const contexts = world.contextsOf.get(browser);
  let pages = 0;
  if (contexts !== undefined) {
    world.contextsOf.delete(browser);
    for (const [context, contextPages] of contexts) {
      pages += contextPages.size;
      for (const page of contextPages) pageGone(world, page);
      if (context !== browser) world.liveContexts--;
    }
    world.livePages -= pages;
  }
  world.lostWith.set(browser, { contexts: contexts?.size ?? 0, pages });
}

function pageGone(world: World, page: string): void {
  world.contextOfPage.delete(page);
  world.sessionOfPage.delete(page);
}

function forgetLost(world: World, browser: string): void {
  if (!world.closing.has(browser) && !world.unhandled.has(browser)) world.lostWith.delete(browser);
}

/** The driver's live objects of the kind the counter counts. */
export function liveCounted(world: World): number {
  if (world.counts === 'browsers') return world.alive.size;
  return world.counts === 'contexts' ? world.liveContexts : world.livePages;
}

/**
 * How far the counter may be from what it counts right now (Jepsen's band: any value between
 * confirmed and attempted is fine while operations are in flight).
 * - A browser per job: launches, opens, and browsers in flight (`browsersInFlight`); `parts` adds
 *   pages and contexts being closed (a pool may drop its session before they close).
 * - Contexts or pages in shared browsers: each job being acquired for (several may wait on one
 *   launch, each already counted), opens, each close in flight weighted by what it takes down (a
 *   context its pages, a browser its contexts or pages), and browsers whose disconnect is not
 *   handled yet, weighted by what went down with them.
 */
export function inFlight(world: World, parts: boolean): number {
  if (world.counts === 'browsers') return world.launching + world.opening + browsersInFlight(world) + (parts ? world.closingParts : 0);
  let n = world.acquiring + world.opening;
  for (const target of world.pendingPartCloses.values()) n += Math.max(1, world.counts === 'pages' ? pagesIn(world, target) : 0);
  for (const browser of world.closing) n += heldBy(world, browser);
  for (const browser of world.unhandled) if (!world.closing.has(browser)) n += heldBy(world, browser);
  return n;
}

/** Pages of a context (0 for a page or an unknown target). */
function pagesIn(world: World, context: string): number {
  return world.contextsOf.get(browserOf(context))?.get(context)?.size ?? 0;
}

/** The counted objects a browser holds (alive) or took down with it (gone). */
function heldBy(world: World, browser: string): number {
  const contexts = world.contextsOf.get(browser);
  if (contexts === undefined) {
    const lost = world.lostWith.get(browser);
    return lost === undefined ? 0 : world.counts === 'contexts' ? lost.contexts : lost.pages;
  }
  if (world.counts === 'contexts') return contexts.size;
  let pages = 0;
  for (const contextPages of contexts.values()) pages += contextPages.size;
  return pages;
}

/**
 * Browsers whose end is not yet known to the pool: a close in flight, or a disconnect its
 * listeners have not handled yet. Each may still hold a slot of the counter, or already have
 * given it back (Jepsen's band: anything between confirmed and attempted).
 */
export function browsersInFlight(world: World): number {
  let n = world.closing.size;
  for (const browser of world.unhandled) if (!world.closing.has(browser)) n++;
  return n;
}

/** Contexts and pages are `b3/c1`, `b3/p1`: only a bare id closes the whole browser. */
function isBrowserId(target: string): boolean {
  return !target.includes('/');
}

/** `b3/p1` → `b3`. */
export function browserOf(target: string): string {
  const slash = target.indexOf('/');
  return slash < 0 ? target : target.slice(0, slash);
}

/** Several paths may close one browser; it stays closing until the last of them returns. */
function hasPendingClose(world: World, browser: string): boolean {
  for (const pending of world.pendingCloses.values()) if (pending === browser) return true;
  return false;
}
