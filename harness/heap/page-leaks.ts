// What the page heap snapshots found, apart from taking them: the report reads this without loading memlab.

/** Per page: what memlab found leaked between its snapshots, or why it was not analysed. */
export interface PageLeak {
  page: string;
  /** memlab's leak traces (its web filters: detached DOM, unmounted fibers, ...). */
  leakTraces?: number;
  /** The first trace's retainer path, shortened. */
  top?: string;
  /** Why the page was not analysed (closed before a point, a snapshot failed or refused). */
  why?: string;
}

export interface PageLeaks {
  /** Why the driver has no page heaps (sim, Firefox). */
  unavailable?: string;
  pages: PageLeak[];
}

/** One line per page (`page heap snapshots: …` when there are none), for leaks.md, the report and `tally run`. */
export function pageLeakLines(leaks: PageLeaks): string[] {
  if (leaks.unavailable !== undefined) return [`page heap snapshots: ${leaks.unavailable}`];
  if (leaks.pages.length === 0) return ['page heap snapshots: no page was open at the baseline'];
  return leaks.pages.map((page) =>
    page.why !== undefined
      ? `page ${page.page}: not analysed: ${page.why}`
      : `page ${page.page}: ${page.leakTraces} leak traces${page.top === undefined ? '' : `; first: ${page.top}`}`,
  );
}
