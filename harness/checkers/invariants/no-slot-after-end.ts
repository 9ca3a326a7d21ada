import type { AnyEvent } from '../../history/events.ts';
import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import { knownTrack, type World } from '../world.ts';

/**
 * A job whose `run` has settled is over for good: the pool must never hand it a slot, a lock or a
 * page afterwards. A waiter that timed out, or whose caller gave up on it, and stays in the queue
 * is later handed the slot of a job that finishes: nobody uses it, and the pool is one slot
 * smaller for good. Reported once per job, at the call site that handed it the slot.
 */
export const noSlotAfterEnd: Invariant<Set<string>> = {
  name: 'no-slot-after-end',
  kinds: ['pool.counter', 'pool.lock', 'job.work'],
  init: () => new Set(),
  check(world, reported, event) {
    if (event.session === undefined) return NO_VIOLATIONS;
    const what = handed(event);
    if (what === undefined) return NO_VIOLATIONS;
    const track = knownTrack(world, event.session);
    if (track === undefined || !track.ended || reported.has(track.id)) return NO_VIOLATIONS;
    reported.add(track.id);
    return [violationFor(world, event, track.id, what)];
  },
};

/** What the event hands its session, if anything. */
function handed(event: AnyEvent): string | undefined {
  if (event.kind === 'pool.counter') return event.data.delta > 0 ? 'a slot' : undefined;
  if (event.kind === 'pool.lock') return event.data.op === 'attach' ? 'a lock' : undefined;
  return event.kind === 'job.work' ? 'a page to work on' : undefined;
}

function violationFor(world: World, event: AnyEvent, job: string, what: string) {
  return violationAt(
    world,
    'no-slot-after-end',
    event,
    `${job} was handed ${what} after its job ended`,
    { job, event: event.kind },
    {
      session: job,
      at: event.at,
    },
  );
}
