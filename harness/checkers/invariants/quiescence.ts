import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';

/**
 * Once every job has settled and the pool is closed, nothing is left: no counter, session, lock,
 * browser or timer. Whatever remains is a leak.
 */
export const quiescence: Invariant<undefined> = {
  name: 'quiescence',
  kinds: ['run.quiescent'],
  init: () => undefined,
  check(world, _state, event) {
    if (event.kind !== 'run.quiescent') return NO_VIOLATIONS;
    const { counter, sessions, locks, alive } = world;
    const { pendingTimers, timerLabels } = event.data;
    const remains: string[] = [];
    if (counter !== 0) remains.push(`counter ${counter}`);
    if (sessions.length > 0) remains.push(`${sessions.length} sessions`);
    if (locks.length > 0) remains.push(`${locks.length} locks`);
    if (alive.size > 0) remains.push(`${alive.size} browsers`);
    if (pendingTimers > 0) remains.push(`${pendingTimers} timers`);
    if (remains.length === 0) return NO_VIOLATIONS;
    const values = {
      counter,
      sessions: sessions.length,
      sessionIds: [...sessions],
      locks: locks.length,
      lockSessions: locks.map((lock) => lock.session),
      browsers: alive.size,
      browserIds: [...alive],
      pendingTimers,
      timerLabels: [...timerLabels],
    };
    return [violationAt(world, 'quiescence', event, `after close: ${remains.join(', ')} remain`, values)];
  },
};
