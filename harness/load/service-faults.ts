import { errorMessage, InputError } from '../errors.ts';
import type { FaultSpec } from '../scenario/schema.ts';
import { tokenHeaders } from './token-headers.ts';

/** What a running service's `GET /state` says of its faults. */
interface StateFaults {
  status?: string;
  faults?: { from: 'scenario' | 'admin'; scenario: string[] };
}

/**
 * Before a load strikes a running service's faults: that it answers, and that its scenario has the
 * same faults in the same order (each strike names its fault by index); else bad input, in one line.
 * Says whether the service plays them itself too.
 */
export async function checkServiceFaults(url: string, faults: readonly FaultSpec[]): Promise<{ playsThemItself: boolean }> {
  let state: StateFaults;
  try {
    const response = await fetch(`${url}/state`, { headers: tokenHeaders() });
    state = (await response.json()) as StateFaults & { error?: string };
    if (!response.ok) throw new Error(`GET /state answered ${response.status}: ${(state as { error?: string }).error ?? ''}`);
  } catch (error) {
    throw new InputError(`--url ${url}: no tally service answers there (${errorMessage(error)})`);
  }
  if (state.status !== 'ready' || !state.faults)
    throw new InputError(`--url ${url}: the service is not ready (${state.status ?? 'no status'})`);
  const theirs = state.faults.scenario;
  const ours = faults.map((fault) => fault.kind);
  if (ours.some((kind, index) => theirs[index] !== kind))
    throw new InputError(
      `--url ${url}: the service's scenario has the faults [${theirs.join(', ')}], this one [${ours.join(', ')}]: serve the same scenario`,
    );
  return { playsThemItself: state.faults.from === 'scenario' && ours.length > 0 };
}
