import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../errors.ts';
import type { EventData } from '../history/events.ts';
import type { HeapSnapshots } from './heap-snapshots.ts';
import { topClusterLine, writeLeakReport } from './leak-report.ts';
import type { PageLeaks } from './page-leaks.ts';
import { HEAP_POINTS } from './take-snapshot.ts';

/**
 * The run's leak analysis once its snapshots are taken: leaks.json and leaks.md in the run folder,
 * and what the history records of it (`heap.leaks`, and `heap.pageLeaks` for the browser pages). Without all three snapshots, or when memlab
 * fails, the event says why and the run's report says it too; it never costs the run its report.
 * Snapshots are large (a few MB under the sim, hundreds with real pools): once analysed they are
 * removed unless `keep`; after a failed analysis they stay, for `tally leaks` to try again.
 */
export async function analyseRunLeaks(
  dir: string,
  snapshots: HeapSnapshots,
  keep: boolean,
): Promise<{ pageLeaks: PageLeaks; leaks: EventData['heap.leaks'] }> {
  const pageLeaks = await snapshots.analysePages(keep);
  return { pageLeaks, leaks: await analyseProcessLeaks(dir, snapshots, keep, pageLeaks) };
}

async function analyseProcessLeaks(
  dir: string,
  snapshots: HeapSnapshots,
  keep: boolean,
  pageLeaks: PageLeaks,
): Promise<EventData['heap.leaks']> {
  const taken = new Set(snapshots.taken.map((snapshot) => snapshot.point));
  const lacking = HEAP_POINTS.filter((point) => !taken.has(point)).map(
    (point) => `${point} ${snapshots.missing.get(point) ?? 'not taken: the pool never closed'}`,
  );
  if (lacking.length > 0) return { error: `a snapshot is missing (${lacking.join('; ')})` };
  let result: EventData['heap.leaks'];
  try {
    const report = await writeLeakReport(dir, pageLeaks);
    const top = topClusterLine(report);
    result = {
      leakedObjects: report.leakedObjects,
      leakedBytes: report.leakedBytes,
      clusters: report.clusters.length,
      ...(top === undefined ? {} : { top }),
      ms: report.ms,
    };
  } catch (error) {
    return { error: `the analysis failed: ${errorMessage(error)} (the snapshots are kept)` };
  }
  if (!keep) for (const taken of snapshots.taken) rmSync(join(dir, taken.file), { force: true });
  return result;
}
