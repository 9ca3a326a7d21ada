import type { PageLike } from '../drivers/types.ts';
import { type Review, reviewPageUrl } from '../site/site-model.ts';

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

/**
 * Runs in the page: waits for the site's script to render the reviews (`window.reviewsReady`; the
 * sim has no page and answers from its model instead), then reads them. A bot challenge or an
 * error page throws, naming what it found and where, so the job fails with the reason. It is
 * serialized into the browser: everything it uses must be inside it, and it names no inner
 * functions (a compiler could wrap those in helpers the page does not have).
 */
export async function extractReviews(): Promise<Review[]> {
  const page = globalThis as unknown as ReviewPageGlobals;
  const url = page.location.href;
  if (page.document.querySelector('.challenge')) throw new Error(`bot challenge at ${url}`);
  const error = page.document.querySelector('.site-error');
  if (error) throw new Error(`error page (HTTP ${error.dataset.status ?? 'status unknown'}) at ${url}`);
  if (page.reviewsReady) {
    try {
      await page.reviewsReady;
    } catch (cause) {
      throw new Error(`reviews did not load at ${url}: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  }
  return Array.from(page.document.querySelectorAll('.review'), (el) => ({
    id: el.dataset.id ?? '',
    stars: Number(el.dataset.stars),
    text: el.querySelector('.text')?.textContent ?? '',
  }));
}

/** The little of the DOM `extractReviews` uses (the project compiles without the DOM's types). */
interface ReviewPageGlobals {
  location: { href: string };
  reviewsReady?: Promise<unknown>;
  document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
  };
}

interface PageElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  querySelector(selector: string): PageElement | null;
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
