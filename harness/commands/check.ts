import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { streamHistory } from '../history/read-history.ts';
import { formatVirtualTime, violationLine } from '../report/format.ts';
import { type IncarnationsRecord, judgeIncarnations, readIncarnations } from '../report/incarnations.ts';
import { type HistoryJudgement, judgeHistory } from '../report/judge-history.ts';
import { groupViolations } from '../report/violation-groups.ts';

const SHOWN_GROUPS = 10;

/**
 * `tally check <run|history.ndjson>`: the run judged again, offline, from its saved history alone:
 * the invariants, the budgets and the coverage its scenario expects. Prints each invariant's count
 * and the verdict, and exits as the run did (0 pass, 1 fail, 2 undecided); a history cut by a kill
 * is judged on what it holds and said to be cut. A supervised run's folder is judged whole, every
 * incarnation's history.
 */
export async function checkCommand(paths: string[]): Promise<number> {
  if (paths.length !== 1) throw new InputError('check: give one run folder or history.ndjson');
  const given = paths[0]!;
  const supervised = existsSync(given) && statSync(given).isDirectory() ? readIncarnations(given) : undefined;
  if (supervised) return checkIncarnations(given, supervised);
  const path = existsSync(given) && statSync(given).isDirectory() ? join(given, 'history.ndjson') : given;
  if (!existsSync(path)) throw new InputError(`check: ${path}: no such file`);
  let cutLine: number | undefined;
  let judged: HistoryJudgement;
  try {
    judged = await judgeHistory(streamHistory(path, { onCutLine: (line) => (cutLine = line) }));
  } catch (error) {
    throw new InputError(`check: ${(error as Error).message}`);
  }
  const counts = { ...judged.counts, budget: judged.counts.budget + judged.overBudget.length };
  for (const [name, count] of Object.entries(counts)) console.log(`${name.padEnd(26)} ${count}`);
  // One line per bug (invariant and call site), with how often it was seen, rather than the first few repeats of one.
  const groups = groupViolations([...judged.violations, ...judged.overBudget]);
  for (const group of groups.slice(0, SHOWN_GROUPS))
    console.log(`  #${group.first.seq} ${violationLine(group.first)}${group.count > 1 ? ` (x${group.count})` : ''}`);
  if (groups.length > SHOWN_GROUPS) console.log(`  and ${groups.length - SHOWN_GROUPS} more groups by invariant and call site`);
  const { jobs } = judged.figures;
  console.log(
    `coverage: ${judged.gaps.length === 0 ? `every fault struck; ${jobs.ok} of ${jobs.started} jobs completed` : judged.gaps.join('; ')}`,
  );
  if (judged.ending === 'cut' && judged.events > 0)
    console.log(
      `cut: the history ends without run.end after ${judged.events} events, ${formatVirtualTime(judged.figures.virtualMs)} of scenario time${cutLine === undefined ? '' : ` (line ${cutLine} is half-written and was left out)`}`,
    );
  console.log(`${judged.verdict.verdict.toUpperCase()}: ${judged.verdict.why}`);
  return judged.verdict.code;
}

/**
 * A supervised run (`tally load --memory-limit`): each incarnation's history judged alone (a
 * restart is a new pool), then the whole, as the run's report judged it.
 */
async function checkIncarnations(runDir: string, record: IncarnationsRecord): Promise<number> {
  const whole = await judgeIncarnations(runDir, record);
  for (const { incarnation, judged } of whole.parts)
    console.log(
      `${incarnation.folder.padEnd(26)} ${incarnation.end.padEnd(8)} ${judged.events} events, ${judged.verdict.verdict}: ${judged.verdict.why}`,
    );
  console.log(
    `deaths: ${whole.deaths} (${whole.oomDeaths} out of memory under a ${record.memoryLimitMB} MB heap limit), restarts: ${whole.restarts}`,
  );
  console.log(`${whole.verdict.verdict.toUpperCase()}: ${whole.verdict.why}`);
  return whole.verdict.code;
}
