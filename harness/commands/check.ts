import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkHistoryStream } from '../checkers/check-history.ts';
import { InputError } from '../errors.ts';
import { streamHistory } from '../history/read-history.ts';

/**
 * `tally check <run|history.ndjson>`: the checkers again, offline, on a saved history. Prints
 * each invariant's count and exits 1 if any broke, as the online run did.
 */
export async function checkCommand(paths: string[]): Promise<number> {
  if (paths.length !== 1) throw new InputError('check: give one run folder or history.ndjson');
  const given = paths[0]!;
  const path = existsSync(given) && statSync(given).isDirectory() ? join(given, 'history.ndjson') : given;
  if (!existsSync(path)) throw new InputError(`check: ${path}: no such file`);
  let result: Awaited<ReturnType<typeof checkHistoryStream>>;
  try {
    result = await checkHistoryStream(streamHistory(path));
  } catch (error) {
    throw new InputError(`check: ${(error as Error).message}`);
  }
  const total = result.violations.length;
  for (const [name, count] of Object.entries(result.counts)) if (name !== 'budget') console.log(`${name.padEnd(26)} ${count}`);
  for (const violation of result.violations.slice(0, 5))
    console.log(`  #${violation.seq} [${violation.invariant}] ${violation.message}${violation.at ? ` at ${violation.at}` : ''}`);
  console.log(total === 0 ? 'every invariant held' : `${total} violation${total === 1 ? '' : 's'}`);
  return total === 0 ? 0 : 1;
}
