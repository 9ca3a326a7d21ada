import { type Review, reviewApiUrl, reviewPageUrl, reviewsOf } from './site-model.ts';

/**
 * What the target site serves. A review page carries no reviews in its HTML: its script fetches
 * them from the JSON API and renders them, as the story's platform did, so a scraper has to run
 * the page and wait for it (`window.reviewsReady`).
 */

export interface ReviewApiBody {
  store: string;
  page: number;
  pages: number;
  reviews: Review[];
  /** Path of the next page, or null on the last one. */
  next: string | null;
}

export function reviewApiBody(store: string, page: number, pages: number): ReviewApiBody {
  return { store, page, pages, reviews: reviewsOf(store, page), next: page + 1 < pages ? reviewPageUrl('', store, page + 1) : null };
}

/** Safe inside a <script>: no `</script>` or `<!--` can be formed. */
function scriptValue(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// The icon link stops browsers from asking for /favicon.ico, which would be a stray request.
const HEAD = '<meta charset="utf-8"><link rel="icon" href="data:,">';

/**
 * The page's script sets `window.reviewsReady` while the head is parsed, so it exists as soon as
 * the document does; it resolves with the number of reviews once they are in the DOM, and rejects
 * when the API fails (the rejection is also caught, so it is not reported as unhandled).
 */
function reviewScript(apiPath: string): string {
  return `
window.reviewsReady = new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve))
  .then(() => fetch(${scriptValue(apiPath)}, { headers: { accept: 'application/json' } }))
  .then((res) => {
    if (!res.ok) throw new Error('the review API answered ' + res.status);
    return res.json();
  })
  .then((data) => {
    const list = document.getElementById('reviews');
    for (const review of data.reviews) {
      const item = document.createElement('li');
      item.className = 'review';
      item.dataset.id = review.id;
      item.dataset.stars = String(review.stars);
      const stars = document.createElement('span');
      stars.className = 'stars';
      stars.textContent = '\\u2605'.repeat(review.stars);
      const text = document.createElement('p');
      text.className = 'text';
      text.textContent = review.text;
      item.append(stars, text);
      list.append(item);
    }
    if (data.next) {
      const next = document.createElement('a');
      next.className = 'next';
      next.rel = 'next';
      next.href = data.next;
      next.textContent = 'next page';
      document.getElementById('pager').append(next);
    }
    list.removeAttribute('aria-busy');
    return data.reviews.length;
  });
window.reviewsReady.catch(() => {});
`;
}

export function reviewPageHtml(store: string, page: number, pages: number): string {
  const title = `Reviews of ${escapeHtml(store)}, page ${page + 1} of ${pages}`;
  return `<!doctype html>
<html><head>${HEAD}<title>${title}</title>
<script>${reviewScript(reviewApiUrl('', store, page))}</script>
</head><body>
<main class="reviews-page" data-store="${escapeHtml(store)}" data-page="${page}">
<h1>${title}</h1>
<ol id="reviews" aria-busy="true"></ol>
<nav id="pager"></nav>
</main>
</body></html>
`;
}

export function challengePageHtml(): string {
  return `<!doctype html>
<html><head>${HEAD}<title>Just a moment...</title></head><body>
<div class="challenge"><h1>Checking your browser before accessing the site</h1><p>This takes a few seconds.</p></div>
</body></html>
`;
}

/** Every status page carries `.site-error` with its status, so extraction can tell it from a review page. */
export function errorPageHtml(status: number, message: string): string {
  return `<!doctype html>
<html><head>${HEAD}<title>${status}</title></head><body>
<div class="site-error" data-status="${status}"><h1>${status}</h1><p>${escapeHtml(message)}</p></div>
</body></html>
`;
}
