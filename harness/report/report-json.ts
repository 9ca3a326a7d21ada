import { countsOf, type InvariantName, type Violation } from '../checkers/violation.ts';
import type { RunExpectations } from '../history/events.ts';
import type { Figures } from './figures.ts';
import { judgeRun } from './judge.ts';
import type { EndReason, Verdict } from './verdict.ts';
import { groupViolations, type ViolationGroup } from './violation-groups.ts';

export const REPORT_SCHEMA = 'tally.report/1';

/** Violations kept in full (with their recent events) in the report; the rest are only counted. */
export const MAX_REPORTED_VIOLATIONS = 50;

/** `report.json`: everything needed to read, compare and replay one run. */
export interface RunReport {
  schema: typeof REPORT_SCHEMA;
  scenario: { name: string; description: string };
  /** The scenario file as given on the command line. */
  scenarioPath: string;
  pool: string;
  driver: string;
  seed: number;
  /** `--set` overrides the run was given, as typed. */
  overrides: string[];
  /** The command that replays this run exactly. */
  replay: string;
  verdict: Verdict;
  endReason: EndReason;
  /** The error that ended the run, when `endReason` is `error`. */
  error?: string;
  /** Violations per invariant, budgets included, zero for those that held. */
  invariants: Record<InvariantName, number>;
  /** The first violations, each with its full context. */
  violations: Violation[];
  violationsTotal: number;
  /** Every violation grouped by invariant and call site, the largest group first. */
  violationGroups: ViolationGroup[];
  figures: Figures;
  budgets: RunExpectations['budgets'];
  /** What the run had to exercise (each fault's strikes, jobs that work) and what it did not: any gap and no violation is undecided. */
  coverage: { faults: RunExpectations['faults']; minJobsWorked: number; gaps: string[] };
  /** Where the run's trace went, when it made one (see `RunTrace`). */
  trace?: RunTrace;
  /** ISO time the run began. */
  startedAt: string;
  /** The artefacts in the run's folder. */
  files: string[];
  /** `tally load --profile`: the profiler's page in the run folder, or why there is none. */
  profile?: ProfileOutcome;
}

/** A profile of the service taken with clinic: `html` relative to the run folder, or `missing` saying why there is none. */
export interface ProfileOutcome {
  tool: string;
  html?: string;
  missing?: string;
}

/** The run's trace: its id, and the collector it was sent to or the file it was written to. */
export interface RunTrace {
  traceId: string;
  /** The collector's OTLP/HTTP traces URL, when the trace was sent there. */
  sentTo?: string;
  /** The trace in Jaeger's UI, when it was sent to a collector. */
  jaegerUrl?: string;
  /** The file in the run folder that holds it, when it was not sent. */
  file?: string;
}

export interface ReportInput {
  scenario: { name: string; description: string };
  scenarioPath: string;
  pool: string;
  driver: string;
  seed: number;
  overrides?: readonly string[];
  endReason: EndReason;
  error?: string;
  /** Violations per invariant from the checkers (budgets are added here, do not include them). */
  violationCounts: Readonly<Partial<Record<InvariantName, number>>>;
  /** The checkers' violations in the order found: all of them, so that groups count every one. */
  violations: readonly Violation[];
  figures: Figures;
  /** What the scenario expects besides its invariants (budgets, strikes, jobs), as `run.start` records it. */
  expects: RunExpectations;
  /** Where budget violations are placed; defaults to the last event the figures saw. */
  lastEvent?: { seq: number; t: number };
  /** Why the invariants were not checked as the run went (its checkers were off). */
  unchecked?: string;
  trace?: RunTrace | undefined;
  startedAt: Date | string;
  files: readonly string[];
}

/**
 * Assembles the report. Budgets are checked here, against the final figures, so that every
 * caller judges them the same way; the verdict follows from all violations and how the run ended.
 */
export function buildReport(input: ReportInput): RunReport {
  const lastEvent = input.lastEvent ?? { seq: Math.max(0, input.figures.events - 1), t: input.figures.virtualMs };
  const checkerViolations = Object.values(countsOf(input.violationCounts)).reduce((sum, n) => sum + n, 0);
  const { verdict, overBudget, gaps } = judgeRun({
    expects: input.expects,
    figures: input.figures,
    checkerViolations,
    ending: input.endReason,
    lastEvent,
    unchecked: input.unchecked,
  });
  const invariants = countsOf(input.violationCounts);
  invariants.budget += overBudget.length;
  const violationsTotal = Object.values(invariants).reduce((sum, n) => sum + n, 0);
  // Budget violations are at most one per budget; room is kept for them so they are always listed.
  const violations = [...input.violations.slice(0, MAX_REPORTED_VIOLATIONS - overBudget.length), ...overBudget];
  return {
    schema: REPORT_SCHEMA,
    scenario: { name: input.scenario.name, description: input.scenario.description },
    scenarioPath: input.scenarioPath,
    pool: input.pool,
    driver: input.driver,
    seed: input.seed,
    overrides: [...(input.overrides ?? [])],
    replay: replayCommand(input),
    verdict,
    endReason: input.endReason,
    ...(input.error === undefined ? {} : { error: input.error }),
    invariants,
    violations,
    violationsTotal,
    violationGroups: groupViolations([...input.violations, ...overBudget]),
    figures: input.figures,
    budgets: { ...input.expects.budgets },
    coverage: { faults: input.expects.faults, minJobsWorked: input.expects.minJobsWorked, gaps },
    ...(input.trace === undefined ? {} : { trace: input.trace }),
    startedAt: typeof input.startedAt === 'string' ? input.startedAt : input.startedAt.toISOString(),
    files: [...input.files],
  };
}

/** `tally run <scenarioPath> --pool <pool> --driver <driver> --seed <seed> [--set k=v]...`, quoted for a POSIX shell. */
export function replayCommand(run: {
  scenarioPath: string;
  pool: string;
  driver: string;
  seed: number;
  overrides?: readonly string[];
}): string {
  const sets = (run.overrides ?? []).flatMap((assignment) => ['--set', shellQuote(assignment)]);
  return [
    'tally',
    'run',
    shellQuote(run.scenarioPath),
    '--pool',
    shellQuote(run.pool),
    '--driver',
    shellQuote(run.driver),
    '--seed',
    String(run.seed),
    ...sets,
  ].join(' ');
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Reads a report written by `buildReport`. Checks the schema tag rather than every field: the tag
 * is what tells a Tally report from any other JSON file, and from one of an incompatible version.
 */
export function parseReport(text: string, path: string): RunReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not a Tally report: it is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${path} is not a Tally report: expected a JSON object with schema '${REPORT_SCHEMA}'`);
  }
  const schema = (value as { schema?: unknown }).schema;
  if (schema === REPORT_SCHEMA) {
    const report = value as RunReport;
    // Reports written before groups were kept: group the violations they list.
    report.violationGroups ??= groupViolations(report.violations);
    return report;
  }
  if (typeof schema === 'string' && schema.startsWith('tally.report/')) {
    throw new Error(`${path} is a Tally report of another version (schema '${schema}'); this Tally reads '${REPORT_SCHEMA}'`);
  }
  throw new Error(
    `${path} is not a Tally report: expected schema '${REPORT_SCHEMA}', found ${schema === undefined ? 'no schema field' : JSON.stringify(schema)}`,
  );
}
