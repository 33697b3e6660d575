import type { Database } from '@parcours/db';
import { sendCaseEvent as sendCaseEventInEngine } from '@parcours/engine';
import type { DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import type { SendCaseEventBody } from './case.schemas.ts';
import { auditEngineRefusal, caseGuardOf } from './case-access.ts';
import { caseStateOfView } from './case-state.ts';

/**
 * Moves a case's journey through the engine, the only writer. The access decision is taken by the
 * engine on the locked row (one transaction); a refusal is audited apart, since the engine's
 * transaction is rolled back with it.
 */
export async function sendCaseEvent(db: Database, caseId: string, input: SendCaseEventBody, call: DeskCall) {
  try {
    const view = await sendCaseEventInEngine(
      db,
      { caseId, event: input.event, expectedRevision: input.expectedRevision },
      {
        actor: actorOf(call.agent),
        clock: call.clock,
        requestId: call.requestId,
        authorizeCase: caseGuardOf(call),
      },
    );
    return caseStateOfView(view);
  } catch (error) {
    await auditEngineRefusal(db, call, 'case.transition', caseId, error);
    throw error;
  }
}
