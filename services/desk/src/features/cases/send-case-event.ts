import { type Database, withActor } from '@parcours/db';
import { EngineError, sendCaseEvent as sendCaseEventInEngine } from '@parcours/engine';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, canReachCase } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { SendCaseEventBody } from './case.schemas.ts';
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
        authorizeCase: (row) => canReachCase(call.agent, row),
      },
    );
    return caseStateOfView(view);
  } catch (error) {
    if (error instanceof EngineError && error.code === 'case_not_found') {
      await withActor(db, actorOf(call.agent), (tx) =>
        recordAudit(
          tx,
          call.agent,
          { action: 'case.transition', subjectKind: 'case', subjectIds: [caseId], outcome: 'denied' },
          auditCallOf(call),
        ),
      );
    }
    throw error;
  }
}
