import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PageHeaps } from '../drivers/types.ts';
import { errorMessage } from '../errors.ts';
import { quietMemlab } from './memlab.ts';
import type { PageLeak, PageLeaks } from './page-leaks.ts';
import {
  type HeapPoint,
  refuseWithoutRoom,
  SNAPSHOT_BYTES_PER_HEAP_BYTE,
  type SnapshotLimits,
  SnapshotRefused,
  writtenSizeMB,
} from './take-snapshot.ts';

/** Pages followed per run: each costs three snapshots and an analysis. */
export const MAX_PAGES = 4;

/** The run folder's name for a page's snapshot at a point (`b1/p2` → `page-b1-p2-baseline.heapsnapshot`). */
export function pageSnapshotFileName(page: string, point: HeapPoint): string {
  return `page-${page.replace(/\W+/g, '-')}-${point}.heapsnapshot`;
}

/**
 * Heap snapshots of the browser pages open at the baseline, at the process snapshots' three points,
 * each after a GC in the page, under the same caps and disk check. Pages live in other processes:
 * they are snapshotted while the run goes on, one after another, and `settled()` waits for them.
 * A page that closes between points is not followed further; it is then said, not failed.
 */
export class PageSnapshots {
  readonly #files = new Map<string, Map<HeapPoint, string>>();
  readonly #why = new Map<string, string>();
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly heaps: PageHeaps,
    private readonly dir: string,
    private readonly limits: SnapshotLimits,
  ) {}

  /** Queues the snapshots of a point: at the baseline the open pages (up to MAX_PAGES), later the pages still followed. */
  take(point: HeapPoint): void {
    this.#chain = this.#chain.then(async () => {
      await this.#takeAll(point);
      // The last point: what followed the pages (their protocol sessions) is let go.
      if (point === 'final') await this.heaps.release();
    });
  }

  settled(): Promise<void> {
    return this.#chain;
  }

  async #takeAll(point: HeapPoint): Promise<void> {
    const open = new Set(this.heaps.openPages());
    if (point === 'baseline') for (const page of [...open].slice(0, MAX_PAGES)) this.#files.set(page, new Map());
    for (const [page, files] of this.#files) {
      if (this.#why.has(page)) continue;
      if (!open.has(page)) {
        this.#why.set(page, `closed before the ${point} snapshot`);
        continue;
      }
      try {
        files.set(point, await this.#takeOne(page, point));
      } catch (error) {
        // The file it was writing, if any, is no use to anyone.
        rmSync(join(this.dir, pageSnapshotFileName(page, point)), { force: true });
        const closed = !new Set(this.heaps.openPages()).has(page);
        const outcome = error instanceof SnapshotRefused ? 'refused' : 'failed';
        this.#why.set(page, closed ? `closed during the ${point} snapshot` : `${point} snapshot ${outcome}: ${errorMessage(error)}`);
      }
    }
  }

  async #takeOne(page: string, point: HeapPoint): Promise<string> {
    const usedMB = await this.heaps.collect(page);
    refuseWithoutRoom(this.dir, usedMB * SNAPSHOT_BYTES_PER_HEAP_BYTE, this.limits);
    const file = pageSnapshotFileName(page, point);
    await this.heaps.write(page, join(this.dir, file));
    writtenSizeMB(this.dir, file, this.limits);
    return file;
  }

  /**
   * memlab's own analysis (its filters are written for web pages) of each page with all three
   * snapshots; the files are removed after it unless `keep`, kept when it failed.
   */
  async analyse(keep: boolean): Promise<PageLeaks> {
    await this.settled();
    const pages: PageLeak[] = [];
    if (this.#files.size === 0) return { pages };
    for (const [page, files] of this.#files) {
      const why = this.#why.get(page);
      const [baseline, target, final] = (['baseline', 'target', 'final'] as const).map((point) => files.get(point));
      if (why !== undefined || !baseline || !target || !final) {
        pages.push({ page, why: why ?? 'a snapshot was never taken (the run ended early)' });
        // Nothing will analyse them: a page's snapshots are worth keeping only when asked.
        if (!keep) for (const file of files.values()) rmSync(join(this.dir, file), { force: true });
        continue;
      }
      try {
        const traces = await quietMemlab(({ api }) =>
          api.findLeaksBySnapshotFilePaths(join(this.dir, baseline), join(this.dir, target), join(this.dir, final), {
            consoleMode: 'SILENT' as never,
          }),
        );
        const top = describeTrace(traces[0]);
        pages.push({ page, leakTraces: traces.length, ...(top === undefined ? {} : { top }) });
      } catch (error) {
        pages.push({ page, why: `the analysis failed: ${errorMessage(error)} (the snapshots are kept)` });
        continue;
      }
      if (!keep) for (const file of files.values()) rmSync(join(this.dir, file), { force: true });
    }
    return { pages };
  }
}

/**
 * memlab's serialized trace: its numbered keys, in order, are the retainer path from the GC root to
 * the leaked object (`0: [Window / ://](native) @33647 $retained-size:6840 …`, `1:  --global_object
 * (shortcut)--->  [Window …](object) @…`); without ids and sizes they read
 * `[Window / ://](native) → global_object (shortcut) → … → kept (property) → [Array](object) → 5 (element) → [Detached <div>](native)`.
 */
function describeTrace(trace: unknown): string | undefined {
  if (trace === null || typeof trace !== 'object') return undefined;
  const steps = Object.keys(trace)
    .filter((key) => /^\d+:/.test(key))
    .map((key) =>
      key
        .replace(/^\d+:\s*/, '')
        .replace(/\s*@\d+.*$/, '')
        .replace(/--(.*?)--->\s*/, '$1 → ')
        .replace(/\s+/g, ' '),
    );
  return steps.length === 0 ? undefined : steps.join(' → ');
}
