import type { PageLike } from '../drivers/types.ts';
import { reviewPageUrl, type Review } from '../drivers/sim/site-model.ts';

/** A fault planted in a job's work by the nemesis: the work throws at its next step. */
export interface Sabotage {
  throwNext: boolean;
}

export class InjectedWorkError extends Error {
  constructor(jobId: string) {
    super(`injected fault: exception inside the work of ${jobId}`);
    this.name = 'InjectedWorkError';
  }
}

export interface ReviewJobSpec {
  jobId: string;
  origin: string;
  store: string;
  pages: number;
}

/** Runs in the page: reads the reviews the site rendered. (The sim driver answers from its model.) */
export function extractReviews(): Review[] {
  const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<ReviewElement> } }).document;
  return Array.from(doc.querySelectorAll('.review'), (el) => ({
    id: el.dataset.id ?? '',
    stars: Number(el.dataset.stars),
    text: el.querySelector('.text')?.textContent ?? '',
  }));
}

interface ReviewElement {
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): { textContent: string | null } | null;
}

/**
 * The story's job: walk a store's paginated, JS-rendered reviews and extract them. It checks
 * `signal` between steps, so a pool that aborts it really stops it.
 */
export function reviewScrape(spec: ReviewJobSpec, sabotage: Sabotage, onPage: () => void) {
  return async (page: PageLike, signal: AbortSignal): Promise<number> => {
    let reviews = 0;
    for (let n = 0; n < spec.pages; n++) {
      signal.throwIfAborted();
      if (sabotage.throwNext) throw new InjectedWorkError(spec.jobId);
      await page.goto(reviewPageUrl(spec.origin, spec.store, n));
      signal.throwIfAborted();
      reviews += (await page.evaluate(extractReviews)).length;
      onPage();
    }
    return reviews;
  };
}
