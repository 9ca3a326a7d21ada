import { errorMessage } from '../errors.ts';
import type { Recorder } from '../history/recorder.ts';
import type { Pool } from '../pool/contract.ts';

/**
 * `pool.close()`, called once a run by whoever asks first: the shutdown fault mid-run, or the
 * runner once every job settled (which then waits for the same close). Recorded as `pool.close`
 * and `pool.closed`, from which the checkers judge the closed pool. A close that throws at once
 * rejects like one that fails later.
 */
export function poolCloser(pool: Pool, recorder: Recorder): (by: 'run' | 'fault') => Promise<void> {
  let closing: Promise<void> | undefined;
  return (by) => {
    if (closing !== undefined) return closing;
    recorder.emit('pool.close', { by });
    closing = Promise.resolve().then(() => pool.close());
    closing.then(
      () => recorder.emit('pool.closed', { ok: true }),
      (error: unknown) => recorder.emit('pool.closed', { ok: false, error: errorMessage(error) }),
    );
    return closing;
  };
}
