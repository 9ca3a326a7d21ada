/**
 * The review platform the story scraped, as data: page N of a store's reviews. The sim driver
 * answers `page.evaluate` with this model (it runs no page script); the real target site renders
 * the same model as HTML, so both drivers extract the same reviews.
 */
export interface Review {
  id: string;
  stars: number;
  text: string;
}

export const REVIEWS_PER_PAGE = 10;

/** A store's name: it becomes a path segment on the target site, so nothing that could leave it. */
export const STORE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** `/store/:store/reviews?page=N` (or the site's `/api/store/...` twin) → the reviews on that page (deterministic). */
export function reviewsFor(url: string): Review[] {
  const match = /\/store\/([^/]+)\/reviews\?page=(\d+)/.exec(url);
  if (!match) return [];
  const [, store, pageText] = match;
  return reviewsOf(store!, Number(pageText));
}

/** The reviews on page `page` (from 0) of `store`. */
export function reviewsOf(store: string, page: number): Review[] {
  return Array.from({ length: REVIEWS_PER_PAGE }, (_, i) => {
    const n = page * REVIEWS_PER_PAGE + i;
    return { id: `${store}-${n}`, stars: 1 + ((n * 7) % 5), text: `review ${n} of ${store}` };
  });
}

export function reviewPageUrl(origin: string, store: string, page: number): string {
  return `${origin}/store/${store}/reviews?page=${page}`;
}

/** Where a review page's script fetches its reviews (JSON) on the real target site. */
export function reviewApiUrl(origin: string, store: string, page: number): string {
  return `${origin}/api/store/${store}/reviews?page=${page}`;
}
