import { type Database, withActor } from '@parcours/db';
import type { DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import type { CaseDetail } from './case.schemas.ts';
import { readCaseDetail } from './case-reads.ts';

/**
 * A case with its members, or null when it does not exist or the organisation does not reach it (the
 * two are indistinguishable on purpose). Either way the attempt is audited in the same transaction.
 */
export async function getCase(db: Database, caseId: string, call: DeskCall): Promise<CaseDetail | null> {
  return withActor(db, actorOf(call.agent), (tx) => readCaseDetail(tx, caseId, call));
}
