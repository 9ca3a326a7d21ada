import type { ServerResponse } from 'node:http';

/** Answers with a JSON body, once: an answer to a request already answered (or gone) is dropped. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.writableEnded || response.destroyed) return;
  const text = `${JSON.stringify(body, null, 2)}\n`;
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** An error answer: `{"error": "..."}` naming what is wrong. */
export function sendError(response: ServerResponse, status: number, problem: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, { error: problem }, headers);
}

/** 503: the pool is not up yet, or the service is draining (its connection is then closed). */
export function unavailable(response: ServerResponse, status: string): void {
  sendError(response, 503, status === 'starting' ? 'the pool is starting' : 'the service is shutting down', {
    'retry-after': '1',
    ...(status === 'starting' ? {} : { connection: 'close' }),
  });
}
