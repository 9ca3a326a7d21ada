import { existsSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { importUserModule } from '../load-module.ts';
import { issueLines } from './issues.ts';
import { applyOverrides } from './overrides.ts';
import { type Scenario, ScenarioSchema } from './schema.ts';

export interface LoadedScenario {
  /** The path as the user can pass it again (for the replay command). */
  path: string;
  scenario: Scenario;
}

/** A path to a `*.scenario.ts` file, or the bare name of one in `scenarios/`. */
export function resolveScenarioPath(spec: string): string {
  if (existsSync(spec)) return spec;
  const shipped = `scenarios/${spec}.scenario.ts`;
  if (existsSync(shipped)) return shipped;
  throw new InputError(`scenario ${spec}: no such file (nor ${shipped})`);
}

export async function loadScenario(spec: string, overrides: readonly string[] = []): Promise<LoadedScenario> {
  const path = resolveScenarioPath(spec);
  const module = await importUserModule(path, 'scenario');
  if (module.default === undefined) throw new InputError(`${path}: has no default export (export default defineScenario({...}))`);
  return { path, scenario: parseScenario(applyOverrides(module.default, overrides), path) };
}

/** Validates a scenario object; the error lists every field that is off, with its path. */
export function parseScenario(value: unknown, path: string): Scenario {
  const parsed = ScenarioSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = issueLines(parsed.error, '(scenario)').map((line) => `  ${line}`);
  throw new InputError(`${path}: invalid scenario\n${problems.join('\n')}`);
}
