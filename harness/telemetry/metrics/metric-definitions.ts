import { type MetricKind, prometheusName } from './prometheus-name.ts';

/** One metric as OpenTelemetry names it, and the name Prometheus sees. */
export interface MetricDefinition {
  otelName: string;
  /** UCUM, as OpenTelemetry's semantic conventions write units (`s`, `By`, `{browser}`). */
  unit: string;
  kind: MetricKind;
  description: string;
  /** Derived from the three above by the compatibility rules. */
  prometheusName: string;
}

function define(otelName: string, unit: string, kind: MetricKind, description: string): MetricDefinition {
  return { otelName, unit, kind, description, prometheusName: prometheusName(otelName, unit, kind) };
}

/**
 * Every metric of a run. Times are scenario time where the history gives them (job durations);
 * rates over them (`rate()`) are per wall second, which is per scenario second when a run is paced
 * in real time.
 */
export const METRICS = {
  poolCounter: define(
    'tally.pool.browsers',
    '{browser}',
    'gauge',
    "The pool's counter: the browsers it believes are live, as inspect() reports it at the last settled point.",
  ),
  poolSessions: define('tally.pool.sessions', '{session}', 'gauge', 'Sessions the pool believes are live, at the last settled point.'),
  poolLocks: define('tally.pool.locks', '{lock}', 'gauge', 'Locks the pool holds, at the last settled point.'),
  browsersAlive: define(
    'tally.browsers.alive',
    '{browser}',
    'gauge',
    'Browsers alive: as the driver reports them (tally.view=driver) and as the process table shows them (tally.view=os, real drivers).',
  ),
  osProcesses: define('tally.os.processes', '{process}', 'gauge', 'Live processes started for this run (real drivers).'),
  memoryUsage: define(
    'tally.memory.usage',
    'By',
    'gauge',
    "Browsers' memory: the driver's sample (tally.view=driver) and the summed PSS of the run's processes (tally.view=os).",
  ),
  violations: define('tally.violations', '{violation}', 'counter', 'Violations found by the online checkers, by invariant.'),
  watchdogFires: define('tally.watchdog.fires', '{fire}', 'counter', "Times the pool's watchdog fired."),
  browserCloses: define(
    'tally.browser.closes',
    '{close}',
    'counter',
    'Browsers that went down because they were closed (not crashed or killed).',
  ),
  jobsStarted: define('tally.jobs.started', '{job}', 'counter', 'Jobs handed to pool.run(job).'),
  jobsFinished: define('tally.jobs.finished', '{job}', 'counter', 'Jobs whose pool.run(job) settled, by outcome (ok, failed).'),
  jobDuration: define('tally.job.duration', 's', 'histogram', 'Scenario time from job.start to job.end, by outcome.'),
  faults: define('tally.faults', '{fault}', 'counter', 'Faults the nemesis struck, by kind.'),
  faultsActive: define('tally.faults.active', '{fault}', 'gauge', 'Windowed faults (with forMs) in effect, by kind.'),
  scenarioTime: define('tally.run.scenario_time', 's', 'gauge', 'Scenario time of the last event.'),
  events: define('tally.history.events', '{event}', 'counter', 'Events recorded in the history.'),
} as const satisfies Record<string, MetricDefinition>;

/** Upper bounds (seconds of scenario time) of the job duration buckets: pages take seconds, watchdogs minutes. */
export const JOB_DURATION_BUCKETS_S = [1, 5, 10, 30, 60, 120, 180, 300, 600, 1800, 3600] as const;

/** Where `tally run --metrics-port` is scraped in deploy/prometheus.yml: OpenTelemetry's registered Prometheus exporter port. */
export const DEFAULT_METRICS_PORT = 9464;
