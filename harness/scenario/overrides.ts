import { InputError } from '../errors.ts';

/**
 * `--set pool.jitterMs=0` style overrides, applied to the scenario before it is validated, so an
 * override is held to the same schema as the file. Values are JSON where they parse, else strings.
 */
export function applyOverrides(scenario: unknown, assignments: readonly string[]): unknown {
  const copy = structuredClone(scenario) as Record<string, unknown>;
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new InputError(`--set ${assignment}: expected key.path=value, e.g. --set pool.jitterMs=0`);
    const path = assignment.slice(0, eq).split('.');
    const raw = assignment.slice(eq + 1);
    let target = copy;
    for (const key of path.slice(0, -1)) {
      // A section the file leaves to its defaults (`real`, `sim`, `budgets`) is created; the schema
      // then rejects a key that is not part of the scenario.
      if (target[key] === undefined) target[key] = {};
      const next = target[key];
      if (typeof next !== 'object' || next === null) throw new InputError(`--set ${assignment}: the scenario has no object at '${key}'`);
      target = next as Record<string, unknown>;
    }
    target[path.at(-1)!] = parseValue(raw);
  }
  return copy;
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
