import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../../errors.ts';
import { EXPOSITION_CONTENT_TYPE } from './exposition.ts';

export interface MetricsServer {
  /** `http://127.0.0.1:<port>/metrics` */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections (a scraper's keep-alive would otherwise hold it open). */
  close(): Promise<void>;
}

/** Serves `render()` on `GET /metrics`, on loopback only: a run's metrics are for this machine's scraper. */
export async function startMetricsServer(options: { port: number; host?: string; render: () => Promise<string> }): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(async (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
      return;
    }
    let body: string;
    try {
      body = await options.render();
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(`rendering metrics failed: ${(error as Error).message}\n`);
      return;
    }
    response.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'the port is in use' : error.message;
      reject(new InputError(`--metrics-port ${options.port}: cannot listen on ${host}:${options.port}: ${why}`));
    });
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/metrics`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
