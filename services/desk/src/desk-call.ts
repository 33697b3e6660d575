import type { EngineClock } from '@parcours/engine';
import type { ActingAgent } from './policy/access-policy.ts';

/** What a use case knows of its caller: who acts for which organisation, the request, the time. */
export interface DeskCall {
  agent: ActingAgent;
  requestId: string;
  clock: EngineClock;
}

export function auditCallOf(call: DeskCall): { requestId: string; at: Date } {
  return { requestId: call.requestId, at: call.clock.now() };
}
