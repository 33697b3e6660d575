import type { Database } from '@parcours/db';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordRefusal } from '../audit/audit-writer.ts';

/** Audits a refusal the engine's rolled-back transaction could not keep. */
export async function auditRefusal(db: Database, call: DeskCall, action: string, subjectIds: string[]): Promise<void> {
  await recordRefusal(db, actorOf(call.agent), { action, subjectKind: 'referral', subjectIds }, auditCallOf(call));
}
