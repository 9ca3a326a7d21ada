/** What every command that runs a scenario is given: `run`, `serve` and `load`. */
export interface ScenarioArgs {
  /** A path or the name of a shipped scenario; `serve` and `load` default to `service`. */
  scenario: string | undefined;
  pool: string;
  driver: string;
  seed: number | undefined;
  out: string | undefined;
  /** `--force`: replace the run already in `--out`. */
  force?: boolean;
  /** `--scenarios DIR`: where a bare scenario name is looked up (default: the project's scenarios). */
  scenarios?: string | undefined;
  /** `--set key=value` overrides. */
  set: string[];
}
