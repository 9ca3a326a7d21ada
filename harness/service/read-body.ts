import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './respond.ts';

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; problem: string };

/**
 * The request's JSON body, read up to `limitBytes`: a larger one is refused as soon as the limit
 * is crossed (413), never buffered whole; a body that is not JSON is named as such (415 or 400).
 */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    return { ok: false, status: 415, problem: `content-type: expected application/json (got ${type || 'none'})` };
  const declared = Number(request.headers['content-length']);
  if (declared > limitBytes) return { ok: false, status: 413, problem: `body: larger than ${limitBytes} bytes` };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) return { ok: false, status: 413, problem: `body: larger than ${limitBytes} bytes` };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '')
    return { ok: false, status: 400, problem: 'body: empty (expected a JSON object such as {"store":"store-1","pages":2})' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, status: 400, problem: `body: not valid JSON (${(error as Error).message})` };
  }
}

/** Refuses a body that could not be read. What is left of one too large is not read: the connection cannot carry another request. */
export function refuseBody(response: ServerResponse, body: { status: number; problem: string }): void {
  sendError(response, body.status, body.problem, body.status === 413 ? { connection: 'close' } : {});
}
