import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage, InputError } from '../errors.ts';
import { sendError } from './respond.ts';
import { handleRoute, OPEN_ROUTES, type RouteDeps, routeOf } from './routes.ts';

/** Longest request target accepted; the routes' paths are short and they take no query. */
const MAX_URL_LENGTH = 2_048;
/** Request line and headers together; node answers 431 beyond it. */
const MAX_HEADER_BYTES = 8_192;
const MAX_HEADERS = 64;
/** A client has this long to send its headers, and its whole request (node answers 408). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** After close, how long answers in the socket buffers get before the connections are cut. */
const CLOSE_GRACE_MS = 1_000;

export interface ListenOptions {
  host: string;
  port: number;
  /** When set, every route but the probes needs `Authorization: Bearer <token>`. */
  token: string | undefined;
}

export interface ServiceServer {
  readonly url: string;
  /** Stop listening and drop idle connections; answers already being written are finished. */
  close(): Promise<void>;
}

/** The service's HTTP server, with its limits, its bearer check and one answer per request, whatever throws. */
export async function listen(options: ListenOptions, deps: RouteDeps): Promise<ServiceServer> {
  const expected = options.token === undefined ? undefined : digest(options.token);
  const server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES, headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    (request, response) => {
      const started = performance.now();
      const path = (request.url ?? '/').split('?')[0]!;
      response.once('finish', () =>
        deps.service.metrics.answered(routeOf(path), response.statusCode, (performance.now() - started) / 1000),
      );
      void serve(request, response, path).catch((error: unknown) => {
        // A route that throws is a bug of the service: said as such, and the connection stays usable.
        sendError(response, 500, `internal error: ${errorMessage(error)}`);
      });
    },
  );
  server.maxHeadersCount = MAX_HEADERS;

  async function serve(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if ((request.url ?? '').length > MAX_URL_LENGTH)
      return sendError(response, 414, `request target longer than ${MAX_URL_LENGTH} characters`);
    if (expected && !OPEN_ROUTES.has(path) && !authorized(request.headers.authorization, expected))
      return sendError(response, 401, 'authorization: expected Bearer <TALLY_TOKEN>', { 'www-authenticate': 'Bearer' });
    await handleRoute(deps, path, request, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EADDRNOTAVAIL' ? 'no such local address' : error.message;
      reject(new InputError(`--port ${options.port}: cannot listen on ${options.host}:${options.port}: ${why}`));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        // Every answer is written by now; a client that keeps its connection open does not keep the service up.
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compared as digests in constant time: the answer's timing says nothing about the token. */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}
