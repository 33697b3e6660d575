import { type Database, referrals, withActor } from '@parcours/db';
import { asc, eq } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { reachableCaseOf } from '../cases/case-access.ts';
import type { ReferralView } from './referral.schemas.ts';
import { referralTimesOf, referralViewOf } from './referral-view.ts';

/** The referrals of a case, with the partners' answers, for the organisations that hold the file; null: 404. */
export async function listCaseReferrals(db: Database, caseId: string, call: DeskCall): Promise<ReferralView[] | null> {
  return withActor(db, actorOf(call.agent), async (tx) => {
    if (!(await reachableCaseOf(tx, caseId, call, 'referral.read'))) return null;
    const rows = await tx.select().from(referrals).where(eq(referrals.caseId, caseId)).orderBy(asc(referrals.createdAt));
    const times = await referralTimesOf(
      tx,
      rows.map((referral) => referral.id),
    );
    await recordAudit(
      tx,
      call.agent,
      {
        action: 'referral.read',
        subjectKind: 'case',
        subjectIds: [caseId, ...rows.map((referral) => referral.id)],
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return rows.map((referral) => referralViewOf(referral, 'sender', times.get(referral.id)));
  });
}
