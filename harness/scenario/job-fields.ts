import { z } from 'zod';
import { STORE } from '../site/site-model.ts';

/** Most pages one job may ask for: a job is one review scrape, not a crawl. */
export const MAX_PAGES = 100;

/** The fields of one job, as a request to the service and the scenario's load mix both give them. */
export const storeName = z.string().regex(STORE, 'expected a store name: lower-case letters, digits and dashes, at most 64');
export const jobPages = z.number().int().min(1).max(MAX_PAGES);
