import { RealClock } from '../clock/real-clock.ts';
import { errorMessage } from '../errors.ts';
import { FaultSchedule } from '../nemesis/fault-schedule.ts';
import { strikeRequestOf } from '../nemesis/strike-request.ts';
import type { Random } from '../random.ts';
import type { Scenario } from '../scenario/schema.ts';
import { tokenHeaders } from './token-headers.ts';

/** What the strikes asked of a running service came to, as its admin channel answered them. */
export interface StrikeFigures {
  /** Strikes the schedule asked for (after each fault's probability). */
  asked: number;
  struck: number;
  /** Found no working session: the service's history has them as `fault.missed`. */
  missed: number;
  /** Waiting in the service for working sessions when answered (`afterWorking`). */
  waiting: number;
  /** Refused or unanswered, with the first few reasons. */
  refused: number;
  problems: string[];
}

const MAX_PROBLEMS = 3;

export interface FaultPlayer {
  /** No more strikes; settles once every strike asked for has its answer. */
  stop(): Promise<StrikeFigures>;
}

/**
 * The scenario's fault schedule played against a service this process did not start: the same
 * schedule the nemesis plays (`FaultSchedule`), at the scenario's time scale on the wall clock,
 * each strike asked of the service's admin channel (`POST /admin/faults`), whose nemesis makes
 * it; which browser it strikes is the service's choice, among the sessions working there.
 */
export function playFaults(scenario: Scenario, options: { url: string; random: Random }): FaultPlayer {
  const clock = new RealClock(scenario.real.timeScale);
  const figures: StrikeFigures = { asked: 0, struck: 0, missed: 0, waiting: 0, refused: 0, problems: [] };
  const pending = new Set<Promise<void>>();
  const refuse = (problem: string) => {
    figures.refused++;
    if (figures.problems.length < MAX_PROBLEMS) figures.problems.push(problem);
  };
  const ask = async (index: number): Promise<void> => {
    const response = await fetch(`${options.url}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...tokenHeaders() },
      body: JSON.stringify(strikeRequestOf(scenario.faults[index]!, index)),
    });
    const answer = (await response.json().catch(() => ({}))) as { outcome?: string; error?: string };
    if (!response.ok) return refuse(`${response.status} ${answer.error ?? response.statusText}`);
    if (answer.outcome === 'struck') figures.struck++;
    else if (answer.outcome === 'missed') figures.missed++;
    else if (answer.outcome === 'waiting') figures.waiting++;
    else refuse(`unexpected answer ${JSON.stringify(answer)}`);
  };
  const schedule = new FaultSchedule(scenario.faults, {
    clock,
    random: options.random,
    durationMs: scenario.durationMs,
    fire: (index) => {
      figures.asked++;
      const asked = ask(index).catch((error: unknown) => refuse(errorMessage(error)));
      pending.add(asked);
      void asked.finally(() => pending.delete(asked));
      // The service waits for working sessions itself (`afterWorking` is in the request): the next strike is timed from now.
      return 'struck';
    },
  });
  schedule.start();
  return {
    async stop() {
      schedule.stop();
      clock.dispose();
      await Promise.all(pending);
      return figures;
    },
  };
}
