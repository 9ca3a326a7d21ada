import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseStrikeRequest } from '../nemesis/strike-request.ts';
import { refuseUnlessLoopback } from './bind.ts';
import { readJsonBody, refuseBody } from './read-body.ts';
import { sendError, sendJson, unavailable } from './respond.ts';
import type { Service } from './service.ts';

/**
 * `POST /admin/faults`: strike one fault at the service's browsers or pool now, through the run's
 * nemesis, so the strike is the same `fault.start` (or `fault.missed`) a scheduled one is and the
 * verdict counts it. This machine only, whatever the token: whoever can strike can break the pool.
 */
export async function postFault({ service }: { service: Service }, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (refuseUnlessLoopback(request, response, '/admin/faults')) return;
  const nemesis = service.nemesis;
  if (service.status !== 'ready' || !nemesis) return unavailable(response, service.status);
  const body = await readJsonBody(request, service.limits.bodyLimitBytes);
  if (!body.ok) return refuseBody(response, body);
  const strike = parseStrikeRequest(body.value);
  if (!strike.ok) return sendError(response, 400, strike.problem);
  const { fault, entry } = strike;
  if (entry !== undefined && nemesis.faults[entry]?.kind !== fault.kind) {
    const listed = nemesis.faults.map((f, index) => `${index} ${f.kind}`).join(', ') || 'none';
    return sendError(response, 400, `entry: the service's scenario has no ${fault.kind} fault at ${entry} (its faults: ${listed})`);
  }
  sendJson(response, 200, { fault: fault.kind, ...(entry === undefined ? {} : { entry }), ...nemesis.strike(fault, entry) });
}
