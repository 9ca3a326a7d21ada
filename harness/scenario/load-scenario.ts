import { existsSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { errorMessage, InputError } from '../errors.ts';
import { importUserModule } from '../load-module.ts';
import { issueLines } from './issues.ts';
import { applyOverrides } from './overrides.ts';
import { type Scenario, ScenarioSchema } from './schema.ts';

export interface LoadedScenario {
  /** The path as the user can pass it again (for the replay command). */
  path: string;
  scenario: Scenario;
}

/** The project's own scenarios: found from wherever Tally is run, not only from the repository root. */
export const PROJECT_SCENARIOS = join(import.meta.dirname, '..', '..', 'scenarios');

const SUFFIX = '.scenario.ts';

/** The `*.scenario.ts` files in `dir`, sorted; bad input naming the folder when it cannot be read. */
export function listScenarioFiles(dir: string = PROJECT_SCENARIOS): string[] {
  try {
    return readdirSync(dir)
      .filter((file) => file.endsWith(SUFFIX))
      .sort()
      .map((file) => join(dir, file));
  } catch (error) {
    throw new InputError(
      `scenarios folder ${dir}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : errorMessage(error)}`,
    );
  }
}

/** A path as short as it can be said from the working directory: relative inside it, absolute outside. */
export function displayPath(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath.startsWith('..') || isAbsolute(relativePath) ? resolve(path) : relativePath;
}

/** A path to a `*.scenario.ts` file, or the bare name of one in the scenarios folder (the project's by default). */
export function resolveScenarioPath(spec: string, dir: string = PROJECT_SCENARIOS): string {
  if (existsSync(spec)) return spec;
  // A name with a folder or an extension in it was meant as a path: only a bare name is looked up.
  if (spec.includes('/') || spec.endsWith('.ts')) throw new InputError(`scenario ${spec}: no such file`);
  const shipped = join(dir, `${spec}${SUFFIX}`);
  if (existsSync(shipped)) return displayPath(shipped);
  const names = existsSync(dir) ? listScenarioFiles(dir).map((file) => basename(file, SUFFIX)) : [];
  throw new InputError(
    `scenario ${spec}: no such file, nor ${displayPath(shipped)}${names.length > 0 ? ` (scenarios there: ${names.join(', ')})` : ''}`,
  );
}

export async function loadScenario(spec: string, overrides: readonly string[] = [], dir?: string): Promise<LoadedScenario> {
  const path = resolveScenarioPath(spec, dir);
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
