/** Hand-built histories and reports for the report tests. */
import type { InvariantName, Violation } from '../../checkers/violation.ts';
import type { AnyEvent, EventData, EventKind, RunExpectations } from '../../history/events.ts';
import type { Figures } from '../figures.ts';
import { createFigures } from '../figures.ts';
import type { ReportInput, RunReport } from '../report-json.ts';
import { buildReport } from '../report-json.ts';

/** An event list that numbers events in order; `wall` is a tenth of `t`, as if the run were ten times faster. */
export function history() {
  const events: AnyEvent[] = [];
  return {
    events,
    add<K extends EventKind>(kind: K, t: number, data: EventData[K], session?: string): AnyEvent {
      const event = { seq: events.length, t, wall: t / 10, kind, data, ...(session === undefined ? {} : { session }) } as AnyEvent;
      events.push(event);
      return event;
    },
  };
}

export function figuresOf(
  events: readonly AnyEvent[],
  counts: Partial<Record<InvariantName, number>> = {},
  violations: Violation[] = [],
): Figures {
  const figures = createFigures();
  for (const event of events) figures.step(event);
  return figures.result(counts, violations);
}

/** A counter-drift violation like the story's log line, with its recent events. */
export function driftViolation(): Violation {
  const h = history();
  h.add('job.start', 299_000, { pages: 3 }, 'job-7');
  h.add('pool.watchdog', 300_000, { afterMs: 300_000 }, 'job-7');
  h.add('pool.counter', 300_000, { delta: -1, value: 4, path: 'safeCloseSession' }, 'job-7');
  h.add('pool.counter', 300_010, { delta: -1, value: 3, path: 'closeSession' }, 'job-7');
  return {
    invariant: 'counter-matches-sessions',
    message: 'counter(3) < sessions(4)',
    values: { counter: 3, sessions: 4, ids: ['job-7', 'job-8'] },
    seq: 3,
    t: 300_010,
    session: 'job-7',
    at: 'pools/story.ts:88:5 (closeSession)',
    recent: h.events,
  };
}

/** A report built the way the runner builds one, from a history of `minutes` of virtual time. */
export function sampleReport(
  overrides: Partial<ReportInput> & {
    pool?: string;
    mismatches?: number;
    growthMBPerHour?: number;
    minutes?: number;
    budgets?: RunExpectations['budgets'];
  } = {},
): RunReport {
  const { mismatches = 0, growthMBPerHour = 5, minutes = 30, budgets = {}, ...input } = overrides;
  const h = history();
  h.add('run.start', 0, {
    scenario: 'watchdog-storm',
    pool: input.pool ?? 'story',
    driver: 'sim',
    seed: 7,
    durationMs: minutes * 60_000,
    pool_config: {},
    timeScale: 1,
  });
  h.add('job.start', 0, { pages: 1 }, 'job-1');
  for (let m = 0; m <= minutes; m++) h.add('sample', m * 60_000, { browsers: 10, pages: 10, memoryMB: 3000 + (growthMBPerHour * m) / 60 });
  h.add('job.end', minutes * 60_000, { ok: true, ms: minutes * 60_000 }, 'job-1');
  const counts: Partial<Record<InvariantName, number>> = { 'counter-matches-sessions': mismatches };
  const violations = Array.from({ length: mismatches }, driftViolation);
  return buildReport({
    scenario: { name: 'watchdog-storm', description: 'Fifty jobs time out at once.' },
    scenarioPath: 'scenarios/watchdog-storm.ts',
    pool: 'story',
    driver: 'sim',
    seed: 7,
    endReason: 'done',
    violationCounts: counts,
    violations,
    figures: figuresOf(h.events, counts, violations),
    expects: { faults: [], minJobsWorked: 1, budgets, memoryFromMs: 0 },
    startedAt: new Date('2025-01-02T03:04:05.000Z'),
    files: ['history.ndjson', 'report.json', 'report.md'],
    ...input,
  });
}
