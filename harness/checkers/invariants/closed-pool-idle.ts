import type { AnyEvent } from '../../history/events.ts';
import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import type { Violation } from '../violation.ts';
import type { World } from '../world.ts';

/**
 * Once `pool.close()` has returned, no job works and nothing uses a browser: a close that returns
 * while jobs still run leaves their work driving pages the pool no longer owns, and a job handed a
 * page after it starts a browser's life the pool will never end. Reported once per job (or once for
 * calls no job made), at the call site of the driver call, or where the pool called the work.
 */
export const closedPoolIdle: Invariant<Set<string>> = {
  name: 'closed-pool-idle',
  kinds: ['pool.closed', 'driver.call', 'job.work'],
  dormantUntil: 'pool.closed',
  init: () => new Set(),
  check(world, reported, event) {
    if (!world.poolClosed) return NO_VIOLATIONS;
    switch (event.kind) {
      case 'pool.closed': {
        const found: Violation[] = [];
        for (const track of world.perSession.values()) {
          if (track.workRunning === 0) continue;
          found.push(...once(world, reported, event, track.id, `close() returned while ${track.id} still works`, track.workAt));
        }
        return found.length === 0 ? NO_VIOLATIONS : found;
      }
      case 'job.work':
        return once(world, reported, event, event.session, `${event.session} was handed a page after the pool closed`, event.at);
      case 'driver.call': {
        const { op, target } = event.data;
        if (op === 'close') return NO_VIOLATIONS;
        // A page knows its job; a browser shared by several jobs names the last one handed a page in it.
        const job = world.sessionOfPage.get(target) ?? event.session;
        return once(world, reported, event, job, `${job ?? 'the pool'} called ${op} on ${target} after the pool closed`, event.at);
      }
      default:
        return NO_VIOLATIONS;
    }
  },
};

/** The violation, unless this job (or, for `undefined`, the pool itself) was already reported. */
function once(world: World, reported: Set<string>, event: AnyEvent, job: string | undefined, message: string, at: string | undefined) {
  const key = job ?? '';
  if (reported.has(key)) return NO_VIOLATIONS;
  reported.add(key);
  return [violationAt(world, 'closed-pool-idle', event, message, job === undefined ? {} : { job }, { session: job, at })];
}
