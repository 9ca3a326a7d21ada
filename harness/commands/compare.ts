import { writeFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { compareReports, loadRunReport } from '../report/compare.ts';
import { renderComparePage } from '../report/html/page.ts';
import { loadPageRun } from '../report/html/run-page-files.ts';

/** `tally compare <runA> <runB> [--html [--out file]]`: the before/after table, and with --html its page. */
export async function compareCommand(paths: string[], options: { html?: boolean; out?: string | undefined } = {}): Promise<number> {
  if (paths.length !== 2) throw new InputError('compare: give two run folders (or report.json files): tally compare <before> <after>');
  if (options.out !== undefined && !options.html) throw new InputError('compare: --out names the page of --html; add --html');
  if (!options.html) {
    const [before, after] = await Promise.all(paths.map((path) => asInput(() => loadRunReport(path))));
    process.stdout.write(compareReports(before!, after!));
    return 0;
  }
  // The page needs each run's history too: both are read before anything is printed, so a missing one fails alone.
  const [before, after] = await Promise.all(paths.map((path) => asInput(() => loadPageRun(path))));
  process.stdout.write(compareReports(before!.report, after!.report));
  const out = options.out ?? 'compare.html';
  const page = renderComparePage(before!, after!);
  await asInput(() => writeFileSync(out, page));
  console.log(`before/after page: ${out}`);
  return 0;
}

/** A run that cannot be read, or a page that cannot be written, is the user's input to fix: one line, exit 2. */
async function asInput<T>(read: () => T | Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new InputError((error as Error).message);
  }
}
