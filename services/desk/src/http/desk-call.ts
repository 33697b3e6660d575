import type { EngineClock } from '@parcours/engine';
import type { Access, ActingAgent } from '../policy/access-policy.ts';

/** What a use case knows of its caller: who acts for which organisation, the request, the time. */
export interface DeskCall {
  agent: ActingAgent;
  requestId: string;
  clock: EngineClock;
}

/** The call a route's handler receives: a `DeskCall` when it acts for an organisation, else null. */
export type CallOf<A extends Access> = A extends { kind: 'acting' } ? DeskCall : null;

/** Built once per request, by the route framework (`mountRoutes`, `mountPages`), never by a handler. */
export function deskCallOf(agent: ActingAgent, requestId: string, clock: EngineClock): DeskCall {
  return { agent, requestId, clock };
}

export function auditCallOf(call: DeskCall): { requestId: string; at: Date } {
  return { requestId: call.requestId, at: call.clock.now() };
}
