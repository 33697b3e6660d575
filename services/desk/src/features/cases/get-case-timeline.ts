import { type Database, withActor } from '@parcours/db';
import type { DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import type { CaseTimeline } from './case.schemas.ts';
import { readCaseTimeline } from './case-reads.ts';

/** Every step of the case and of its referrals, oldest first; null when unknown or not reachable. Audited. */
export async function getCaseTimeline(db: Database, caseId: string, call: DeskCall): Promise<CaseTimeline | null> {
  return withActor(db, actorOf(call.agent), (tx) => readCaseTimeline(tx, caseId, call));
}
