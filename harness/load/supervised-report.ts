import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeIncarnations, readIncarnations, type WholeJudgement } from '../report/incarnations.ts';
import type { Verdict } from '../report/verdict.ts';
import { type LoadFigures, loadMarkdown } from './load-figures.ts';

/**
 * The run folder of a supervised load (`--memory-limit`): report.json and report.md for the whole,
 * judged from every incarnation's history. report.json is the last report an incarnation wrote
 * (its figures, named by `figuresOf`) with the whole's verdict, the load and `memory`: the deaths
 * (the story's "OOM 3 → 0") and the restarts.
 */
export async function writeSupervisedReport(runDir: string, figures: LoadFigures): Promise<{ verdict: Verdict; line: string }> {
  const record = readIncarnations(runDir);
  if (!record) throw new Error(`${runDir}: no incarnations.json: the supervisor recorded no service`);
  const whole = await judgeIncarnations(runDir, record);
  const reported = [...record.incarnations].reverse().find((incarnation) => existsSync(join(runDir, incarnation.folder, 'report.json')));
  const base = reported ? (JSON.parse(readFileSync(join(runDir, reported.folder, 'report.json'), 'utf8')) as Record<string, unknown>) : {};
  const memory = {
    limitMB: record.memoryLimitMB,
    oomDeaths: whole.oomDeaths,
    deaths: whole.deaths,
    restarts: whole.restarts,
    incarnations: whole.parts.map(({ incarnation, judged }) => ({
      ...incarnation,
      verdict: judged.verdict.verdict,
      events: judged.events,
    })),
  };
  const report = { ...base, ...(reported ? { figuresOf: reported.folder } : {}), verdict: whole.verdict, load: figures, memory };
  writeFileSync(join(runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(runDir, 'report.md'), supervisedMarkdown(whole, record.memoryLimitMB, figures));
  return { verdict: whole.verdict, line: memoryLine(whole, record.memoryLimitMB) };
}

export function memoryLine(whole: WholeJudgement, limitMB: number): string {
  return `memory: ${whole.oomDeaths} OOM death${whole.oomDeaths === 1 ? '' : 's'} (${whole.deaths} in all) and ${whole.restarts} restart${whole.restarts === 1 ? '' : 's'} under a ${limitMB} MB heap limit`;
}

function supervisedMarkdown(whole: WholeJudgement, limitMB: number, figures: LoadFigures): string {
  const rows = whole.parts.map(({ incarnation, judged }) => {
    const exit = incarnation.exit.signal ?? (incarnation.exit.code === null ? '-' : `exit ${incarnation.exit.code}`);
    const files =
      incarnation.end === 'stopped' ? `[report](${incarnation.folder}/report.md)` : `history only: \`tally check ${incarnation.folder}\``;
    return `| ${incarnation.folder} | ${(incarnation.livedMs / 1000).toFixed(1)} | ${incarnation.end} | ${exit} | ${judged.verdict.verdict} | ${judged.events} | ${files} |`;
  });
  return [
    '# Tally report: a supervised service under a memory limit',
    '',
    `**${whole.verdict.verdict.toUpperCase()}**: ${whole.verdict.why}`,
    '',
    '## Memory limit',
    '',
    `${memoryLine(whole, limitMB)}. The heap limit is V8's (\`--max-old-space-size\`); no cgroup limit is set (making one needs root or a delegated cgroup). Each incarnation is a run of its own; \`tally check\` on this folder judges them all.`,
    '',
    '| incarnation | lived s | ended | exit | verdict | events | |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    loadMarkdown(figures),
  ].join('\n');
}
