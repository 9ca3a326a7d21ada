import { NO_VIOLATIONS, startsEpisode, violationAt, type EpisodeState, type Invariant } from '../invariant.ts';
import { comparison, counterCulprit } from './counter-culprit.ts';

/**
 * The pool's counter equals the number of its sessions, give or take the launches and closes in
 * flight: while those are pending the counter may lie anywhere between confirmed and attempted.
 */
export const counterMatchesSessions: Invariant<EpisodeState> = {
  name: 'counter-matches-sessions',
  kinds: ['settle'],
  init: () => ({ broken: false }),
  check(world, state, event) {
    const { counter, launching } = world;
    const sessions = world.sessions.length;
    const closing = world.closing.size;
    const broken = Math.abs(counter - sessions) > launching + closing;
    if (!startsEpisode(state, broken)) return NO_VIOLATIONS;
    return [
      violationAt(
        world,
        'counter-matches-sessions',
        event,
        comparison('counter', counter, 'sessions', sessions),
        { counter, sessions, launching, closing, sessionIds: [...world.sessions] },
        counterCulprit(world),
      ),
    ];
  },
};
