import { caseMembers, type Database, referrals, withActor } from '@parcours/db';
import { and, count, desc, eq, inArray, isNotNull, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, decidePartnerDisclosure, holdsHealthPermission } from '../../policy/access-policy.ts';
import { recordActorAudit } from '../audit/audit-writer.ts';
import { consentFactsOf } from '../consents/consent.repository.ts';
import type { PartnerInboxQuery, partnerInbox } from './referral.schemas.ts';
import { referralTimesOf, referralViewOf } from './referral-view.ts';

type Inbox = import('zod').infer<typeof partnerInbox>;

/**
 * The referrals addressed to the acting organisation (never drafts), newest first, with their deadlines.
 * Ids, codes and dates only: opening one goes through the policy. Each item says whether the person's
 * consent lets the organisation open it now, read from the consents of this request.
 */
export async function listPartnerInbox(db: Database, query: PartnerInboxQuery, call: DeskCall): Promise<Inbox> {
  const actor = actorOf(call.agent);
  const now = call.clock.now();
  return withActor(db, actor, async (tx) => {
    const filters: SQL[] = [eq(referrals.toOrganisationId, call.agent.organisationId), ne(referrals.status, 'draft')];
    if (query.scope === 'open') filters.push(isNull(referrals.closedAt));
    if (query.scope === 'closed') filters.push(isNotNull(referrals.closedAt));
    if (query.status) filters.push(eq(referrals.status, query.status));
    if (query.purpose) filters.push(eq(referrals.purpose, query.purpose));
    if (query.overdue === 'true') {
      filters.push(
        sql`exists (select 1 from case_timers t where t.referral_id = ${referrals.id} and t.status = 'armed' and t.due_at <= ${now.toISOString()}::timestamptz)`,
      );
    }
    const where = and(...filters);
    const [total] = await tx.select({ n: count() }).from(referrals).where(where);
    const rows = await tx
      .select()
      .from(referrals)
      .where(where)
      .orderBy(desc(referrals.createdAt), desc(referrals.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const times = await referralTimesOf(
      tx,
      rows.map((row) => row.id),
    );
    const caseIds = [...new Set(rows.map((row) => row.caseId))];
    const primaries =
      caseIds.length === 0
        ? []
        : await tx
            .select({ caseId: caseMembers.caseId, personId: caseMembers.personId })
            .from(caseMembers)
            .where(and(inArray(caseMembers.caseId, caseIds), eq(caseMembers.role, 'primary')));
    const personOf = new Map(primaries.map((row) => [row.caseId, row.personId]));
    const consentsOf = new Map(
      await Promise.all(
        [...new Set(personOf.values())].map(async (personId) => [personId, await consentFactsOf(tx, personId)] as const),
      ),
    );
    const reader = { organisationId: call.agent.organisationId, mayReadHealth: holdsHealthPermission(call.agent) };
    await recordActorAudit(
      tx,
      actor,
      { action: 'partner.inbox', subjectKind: 'referral', subjectIds: rows.map((row) => row.id), outcome: 'allowed' },
      auditCallOf(call),
    );
    return {
      items: rows.map((row) => {
        const personId = personOf.get(row.caseId);
        const consents = personId ? (consentsOf.get(personId) ?? []) : [];
        return {
          ...referralViewOf(row, 'partner', times.get(row.id)),
          accessible: decidePartnerDisclosure(reader, row, consents, now) !== null,
        };
      }),
      page: query.page,
      pageSize: query.pageSize,
      total: total?.n ?? 0,
    };
  });
}
