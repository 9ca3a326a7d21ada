import { InputError } from '../errors.ts';
import { compareReports, loadRunReport } from '../report/compare.ts';

/** `tally compare <runA> <runB>`: the before/after table. */
export function compareCommand(paths: string[]): number {
  if (paths.length !== 2) throw new InputError('compare: give two run folders (or report.json files): tally compare <before> <after>');
  const [before, after] = paths.map((path) => {
    try {
      return loadRunReport(path);
    } catch (error) {
      throw new InputError((error as Error).message);
    }
  });
  process.stdout.write(compareReports(before!, after!));
  return 0;
}
