import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../errors.ts';
import type { Pool, PoolSnapshot } from '../pool/contract.ts';
import { EXPOSITION_CONTENT_TYPE } from '../telemetry/metrics/exposition.ts';
import { postFault } from './admin-faults.ts';
import { refuseUnlessLoopback } from './bind.ts';
import { parseJobRequest } from './job-request.ts';
import { readJsonBody, refuseBody } from './read-body.ts';
import { sendError, sendJson, unavailable } from './respond.ts';
import type { Service } from './service.ts';
import { jobParentOf } from './service-tracing.ts';

/** What the routes read besides the service: the run's own metrics page. */
export interface RouteDeps {
  service: Service;
  runMetrics: () => Promise<string>;
}

type Handler = (deps: RouteDeps, request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

const ROUTES: Record<string, { method: 'GET' | 'POST'; handle: Handler }> = {
  '/jobs': { method: 'POST', handle: postJob },
  '/healthz': { method: 'GET', handle: (_deps, _request, response) => sendJson(response, 200, { status: 'ok' }) },
  '/readyz': { method: 'GET', handle: readyz },
  '/metrics': { method: 'GET', handle: metrics },
  '/state': { method: 'GET', handle: state },
  '/violations': { method: 'GET', handle: violations },
  '/shutdown': { method: 'POST', handle: shutdown },
  '/admin/faults': { method: 'POST', handle: postFault },
};

/** Probes stay open without a token: an orchestrator's health checks carry none. */
export const OPEN_ROUTES = new Set(['/healthz', '/readyz']);

/** The route a path names, for dispatch and as a metric label (never the raw path: that would be unbounded). */
export function routeOf(path: string): string {
  return Object.hasOwn(ROUTES, path) ? path : 'other';
}

export async function handleRoute(deps: RouteDeps, path: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path]! : undefined;
  if (!route) return sendError(response, 404, `no route ${path} (routes: ${Object.keys(ROUTES).join(', ')})`);
  if (request.method !== route.method && !(route.method === 'GET' && request.method === 'HEAD'))
    return sendError(response, 405, `${path} takes ${route.method}, not ${request.method}`, { allow: route.method });
  await route.handle(deps, request, response);
}

function readyz({ service }: RouteDeps, _request: IncomingMessage, response: ServerResponse): void {
  if (service.status === 'ready') sendJson(response, 200, { status: 'ready' });
  else unavailable(response, service.status);
}

async function postJob({ service }: RouteDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const binding = service.binding;
  if (service.status !== 'ready' || !binding) return unavailable(response, service.status);
  const body = await readJsonBody(request, service.limits.bodyLimitBytes);
  if (!body.ok) return refuseBody(response, body);
  const job = parseJobRequest(body.value, binding.origin);
  if (!job.ok) return sendError(response, 400, job.problem);

  service.accept(response);
  const slot = await service.admission.acquire();
  if (!slot.admitted && slot.reason === 'closed') return unavailable(response, service.status);
  // A caller that hung up while queued gets no job: nobody would read its answer.
  if (slot.admitted && response.destroyed) return slot.release();
  if (!slot.admitted) {
    service.metrics.rejected(slot.reason);
    const retryAfter = service.admission.retryAfterSeconds();
    return sendError(response, 429, `overloaded (${slot.reason}): retry after ${retryAfter} s`, { 'retry-after': String(retryAfter) });
  }
  const id = service.nextJobId();
  const started = performance.now();
  // The slot is the pool's capacity: it is freed when the job settles, not when the caller stops waiting.
  const parent = jobParentOf(request);
  const callerGone = hangUpSignal(response);
  const run = binding.runner.run({ id, ...job.value, callerGone, ...(parent ? { trace: parent } : {}) }).finally(slot.release);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), service.limits.jobTimeoutMs)));
  // A job the closed pool never settles must not keep its request (or the process) waiting.
  const outcome = await Promise.race([run, timedOut, service.stopped.then(() => 'stopped' as const)]);
  clearTimeout(timer);
  if (outcome === 'stopped') return;
  const ms = Math.round(performance.now() - started);
  if (outcome === 'timeout')
    return sendError(response, 504, `job ${id} did not finish within ${service.limits.jobTimeoutMs} ms; it goes on in the pool`);
  if (!outcome.ok) return sendJson(response, 502, { id, ...job.value, ok: false, error: outcome.error, ms });
  sendJson(response, 200, { id, ...job.value, ok: true, reviews: outcome.reviews, ms, scenarioMs: Math.round(outcome.ms) });
}

/**
 * Aborts when the client goes away before its answer is sent (request aborted, socket closed):
 * nobody will read the job's result, so the pool is told the caller gave up on it, as a caller
 * in-process does through `job.signal`. A `close` after the answer was written is the normal end.
 */
function hangUpSignal(response: ServerResponse): AbortSignal {
  const gone = new AbortController();
  response.once('close', () => {
    if (!response.writableEnded) gone.abort(new Error('the client closed its connection before the answer'));
  });
  return gone.signal;
}

async function metrics({ service, runMetrics }: RouteDeps, _request: IncomingMessage, response: ServerResponse): Promise<void> {
  const text = (await runMetrics()) + (await service.metrics.render());
  response.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function state({ service }: RouteDeps, _request: IncomingMessage, response: ServerResponse): void {
  const binding = service.binding;
  const { count } = service.violations;
  sendJson(response, 200, {
    status: service.status,
    /** The only origin the service's browsers visit. */
    target: binding?.origin ?? null,
    pool: binding ? inspectOrSay(binding.pool) : null,
    browsers: binding ? binding.driver.sample() : null,
    jobs: { running: service.admission.running, queued: service.admission.queued, capacity: service.limits.capacity },
    /** Who plays the scenario's faults, and the faults a strike over `/admin/faults` may count as (by index). */
    faults: { from: service.faultsFrom, scenario: service.nemesis?.faults.map((fault) => fault.kind) ?? [] },
    violations: count,
    verdictSoFar: !service.checkers
      ? 'not judged while serving (checkers off): tally check <run folder> judges the history'
      : count > 0
        ? 'fail'
        : 'no violation yet (the verdict is given at shutdown)',
  });
}

/** A pool whose inspect() throws is a finding to show, not a reason for the state page to fail. */
function inspectOrSay(pool: Pool): PoolSnapshot | { error: string } {
  try {
    return pool.inspect();
  } catch (error) {
    return { error: `inspect() threw: ${errorMessage(error)}` };
  }
}

function violations({ service }: RouteDeps, _request: IncomingMessage, response: ServerResponse): void {
  const { count, kept } = service.violations;
  sendJson(response, 200, { count, violations: kept, ...(count > kept.length ? { omitted: count - kept.length } : {}) });
}

/**
 * What SIGTERM does, over HTTP, from this machine only: a service run under a profiler (clinic)
 * cannot be signalled, since the profiler's own signal handlers end the process before the run is
 * written; asked here, it drains and ends by itself, and the profiler collects as it exits.
 */
function shutdown({ service }: RouteDeps, request: IncomingMessage, response: ServerResponse): void {
  if (refuseUnlessLoopback(request, response, '/shutdown')) return;
  sendJson(response, 202, { status: 'draining' });
  service.drain();
}
