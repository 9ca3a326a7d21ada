import { z } from 'zod';
import { issueLines } from '../scenario/issues.ts';
import { jobPages, storeName } from '../scenario/job-fields.ts';
import { reviewPageUrl, STORE } from '../site/site-model.ts';

/**
 * `POST /jobs`: scrape `pages` pages of a store's reviews on the target site, named by `store` or
 * by the `url` of its reviews there. Unknown fields are refused, not ignored: a typo should not
 * silently run a different job.
 */
export const JobRequestSchema = z
  .object({
    store: storeName.optional(),
    url: z.string().max(2_048, 'expected a URL of at most 2048 characters').optional(),
    pages: jobPages.default(1),
  })
  .strict()
  .refine((body) => (body.store === undefined) !== (body.url === undefined), { message: 'give exactly one of `store` or `url`' });

export type JobRequest = z.output<typeof JobRequestSchema>;

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * The job a request asks for, or the problem with it, in one line naming the field. A `url` must
 * be a review page of the target site itself: any other origin, scheme or path is refused here,
 * before a browser sees it (the service must not be a way to make its browsers fetch elsewhere).
 */
export function parseJobRequest(body: unknown, origin: string): Checked<{ store: string; pages: number }> {
  const parsed = JobRequestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, problem: issueLines(parsed.error, 'body').join('; ') };
  const { store, url, pages } = parsed.data;
  if (store !== undefined) return { ok: true, value: { store, pages } };
  const target = storeOfUrl(url!, origin);
  return target.ok ? { ok: true, value: { store: target.value, pages } } : target;
}

/** The store whose reviews `url` names on `origin`, or why that URL is not one the service visits. */
export function storeOfUrl(url: string, origin: string): Checked<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, problem: 'url: not an absolute URL' };
  }
  if (parsed.origin !== new URL(origin).origin || parsed.username !== '' || parsed.password !== '')
    return { ok: false, problem: `url: only the target site ${origin} may be visited (got ${parsed.protocol}//${parsed.host})` };
  const match = /^\/store\/([^/]+)\/reviews$/.exec(parsed.pathname);
  const store = match?.[1];
  if (store === undefined || !STORE.test(store))
    return { ok: false, problem: `url: not a store's reviews on the target site (expected ${reviewPageUrl(origin, '<store>', 0)})` };
  return { ok: true, value: store };
}
