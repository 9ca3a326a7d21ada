import type { AnyEvent, EventData, HistoryEvent, LockEntry } from '../history/events.ts';
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
  /** `job.end` was seen: the pool considers the job over. */
  ended: boolean;
  /** The `pool.counter` changes the pool reported for this session. */
  increments: number;
  decrements: number;
  decrementPaths: string[];
  /** Call site of the session's last `pool.lock` change (where a lock was taken or let go). */
  lockAt: string | undefined;
  /** Call site of the session's `pool.watchdog`, if it fired. */
  watchdogAt: string | undefined;
}

/**
 * The model every invariant reads: the pool's own bookkeeping (from `settle`), the driver's
 * ground truth (browsers alive, launches and closes in flight), the jobs, the counter changes the
 * pool reported, and the recent events. Folded from the history one event at a time.
 */
export interface World {
  /** The pool's snapshot as of the last `settle`. */
  counter: number;
  sessions: readonly string[];
  sessionSet: Set<string>;
  locks: readonly LockEntry[];
  /** Most browsers allowed, from `run.start`'s `pool_config`, when the pool has that setting. */
  maxBrowsers: number | undefined;

  /** Browsers alive, by id. */
  alive: Set<string>;
  /** Launches called and not yet returned. */
  launching: number;
  /** Alive browsers with a close of the whole browser called and not yet returned. */
  closing: Set<string>;
  /** Pages and contexts being opened, and being closed: the rest of acquiring and releasing a browser. */
  opening: number;
  closingParts: number;
  /** The `driver.call` seqs still pending, by what they do (browser closes with their browser). */
  pendingLaunches: Set<number>;
  pendingCloses: Map<number, string>;
  pendingOpens: Set<number>;
  pendingPartCloses: Set<number>;

  /** The sessions seen, by id (see ENDED_SESSIONS_KEPT). */
  perSession: Map<string, SessionTrack>;
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
   * Bumped whenever something the settle invariants read changes (the pool's snapshot, browsers
   * alive, anything in flight). A settle that finds it unchanged has nothing new to judge.
   */
  version: number;
}

export function createWorld(): World {
  return {
    counter: 0,
    sessions: [],
    sessionSet: new Set(),
    locks: [],
    maxBrowsers: undefined,
    alive: new Set(),
    launching: 0,
    closing: new Set(),
    opening: 0,
    closingParts: 0,
    pendingLaunches: new Set(),
    pendingCloses: new Map(),
    pendingOpens: new Set(),
    pendingPartCloses: new Set(),
    perSession: new Map(),
    endedSessions: new Array<string | undefined>(ENDED_SESSIONS_KEPT).fill(undefined),
    endedNext: 0,
    lastCounterEvent: undefined,
    lastIncrement: undefined,
    lastDecrement: undefined,
    recent: new RecentEvents(),
    version: 0,
  };
}

export function sessionTrack(world: World, id: string): SessionTrack {
  let track = world.perSession.get(id);
  if (track === undefined) {
    track = {
      id,
      workRunning: 0,
      ended: false,
      increments: 0,
      decrements: 0,
      decrementPaths: [],
      lockAt: undefined,
      watchdogAt: undefined,
    };
    world.perSession.set(id, track);
  }
  return track;
}

function trackOf(world: World, event: AnyEvent): SessionTrack | undefined {
  return event.session === undefined ? undefined : sessionTrack(world, event.session);
}

/** Fold one event into `world`, in place. O(1) except `settle`, which is O(sessions). */
export function foldEvent(world: World, event: AnyEvent): void {
  world.recent.push(event);

  switch (event.kind) {
    case 'driver.call': {
      const { op, target } = event.data;
      if (op !== 'goto' && op !== 'evaluate') world.version++;
      if (op === 'launch') {
        world.pendingLaunches.add(event.seq);
        world.launching = world.pendingLaunches.size;
      } else if (op === 'newPage' || op === 'newContext') {
        world.pendingOpens.add(event.seq);
        world.opening = world.pendingOpens.size;
      } else if (op === 'close') {
        if (isBrowserId(target)) {
          world.pendingCloses.set(event.seq, target);
          if (world.alive.has(target)) world.closing.add(target);
        } else {
          world.pendingPartCloses.add(event.seq);
          world.closingParts = world.pendingPartCloses.size;
        }
      }
      return;
    }
    case 'driver.return': {
      const { op, call } = event.data;
      if (op !== 'goto' && op !== 'evaluate') world.version++;
      if (op === 'launch') {
        world.pendingLaunches.delete(call);
        world.launching = world.pendingLaunches.size;
      } else if (op === 'newPage' || op === 'newContext') {
        world.pendingOpens.delete(call);
        world.opening = world.pendingOpens.size;
      } else if (op === 'close') {
        const browser = world.pendingCloses.get(call);
        if (browser === undefined) {
          world.pendingPartCloses.delete(call);
          world.closingParts = world.pendingPartCloses.size;
          return;
        }
        world.pendingCloses.delete(call);
        if (!hasPendingClose(world, browser)) world.closing.delete(browser);
      }
      return;
    }
    case 'browser.up':
      world.version++;
      world.alive.add(event.data.browser);
      return;
    case 'browser.down':
      world.version++;
      world.alive.delete(event.data.browser);
      world.closing.delete(event.data.browser);
      return;
    // Only the rare events about a job's life look its session up: the common ones (driver calls,
    // settles, timers) must not pay a map lookup each.
    case 'job.work': {
      const track = trackOf(world, event);
      if (track) track.workRunning++;
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
      rememberEnded(world, track.id);
      return;
    }
    case 'pool.counter': {
      const track = trackOf(world, event);
      world.lastCounterEvent = event;
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
    case 'run.start': {
      world.version++;
      const max = event.data.pool_config.maxBrowsers;
      if (typeof max === 'number' && Number.isFinite(max)) world.maxBrowsers = max;
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
  if (data.counter !== undefined || data.sessions !== undefined || data.locks !== undefined) world.version++;
  if (data.counter !== undefined) world.counter = data.counter;
  if (data.sessions !== undefined) {
    const previous = world.sessions;
    world.sessions = data.sessions;
    updateSessionSet(world.sessionSet, previous, data.sessions);
  }
  if (data.locks !== undefined) world.locks = data.locks;
}

/** Contexts and pages are `b3/c1`, `b3/p1`: only a bare id closes the whole browser. */
function isBrowserId(target: string): boolean {
  return !target.includes('/');
}

/** Several paths may close one browser; it stays closing until the last of them returns. */
function hasPendingClose(world: World, browser: string): boolean {
  for (const pending of world.pendingCloses.values()) if (pending === browser) return true;
  return false;
}
