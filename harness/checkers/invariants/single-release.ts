import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import { knownTrack } from '../world.ts';

/**
 * A session gives its counter slot back at most as often as it took one. The story's counter had
 * three decrement paths that did not know of each other; this names them at the second one.
 */
export const singleRelease: Invariant<undefined> = {
  name: 'single-release',
  kinds: ['pool.counter'],
  init: () => undefined,
  check(world, _state, event) {
    if (event.kind !== 'pool.counter' || event.data.delta !== -1 || event.session === undefined) return NO_VIOLATIONS;
    const track = knownTrack(world, event.session);
    if (track === undefined || track.decrements <= track.increments) return NO_VIOLATIONS;
    const message = `${track.id} released ${times(track.decrements)}: paths ${track.decrementPaths.join(', ')}`;
    const values = {
      increments: track.increments,
      decrements: track.decrements,
      paths: [...track.decrementPaths],
      counter: event.data.value,
    };
    return [violationAt(world, 'single-release', event, message, values, { session: track.id, at: event.at })];
  },
};

function times(n: number): string {
  return n === 2 ? 'twice' : `${n} times`;
}
