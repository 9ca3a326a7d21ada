import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import { knownTrack } from '../world.ts';

/**
 * A job is over only once its work has stopped. `Promise.race` against a watchdog ends the job
 * but leaves the work running, still driving a page the pool may have handed on or closed.
 */
export const workCancelled: Invariant<undefined> = {
  name: 'work-cancelled',
  kinds: ['job.end'],
  init: () => undefined,
  check(world, _state, event) {
    if (event.session === undefined) return NO_VIOLATIONS;
    const track = knownTrack(world, event.session);
    if (track === undefined || track.workRunning === 0) return NO_VIOLATIONS;
    const values = { job: track.id, workRunning: track.workRunning, watchdog: track.watchdogAt === undefined ? 'not fired' : 'fired' };
    // The watchdog's race is what let the job end early, so its call site is the one to look at.
    const at = track.watchdogAt ?? event.at;
    return [
      violationAt(world, 'work-cancelled', event, `job ${track.id} ended while its work still runs`, values, { session: track.id, at }),
    ];
  },
};
