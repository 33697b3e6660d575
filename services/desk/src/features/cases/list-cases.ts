import { caseMembers, cases, type Database, personIdentities, withActor } from '@parcours/db';
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, reachableCases } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import type { CaseList, CaseSummary, ListCasesQuery } from './case.schemas.ts';
import { caseStateOf } from './case-state.ts';

/** The acting organisation's cases (as entry point or référent), most recently moved first. */
export async function listCases(db: Database, query: ListCasesQuery, call: DeskCall): Promise<CaseList> {
  const conditions: SQL[] = [reachableCases(call.agent)];
  if (query.stage) conditions.push(eq(cases.stage, query.stage));
  if (query.channel) conditions.push(eq(cases.channel, query.channel));
  const where = and(...conditions);
  return withActor(db, actorOf(call.agent), async (tx) => {
    const rows = await tx
      .select({
        case: cases,
        personId: caseMembers.personId,
        familyName: personIdentities.familyName,
        givenNames: personIdentities.givenNames,
      })
      .from(cases)
      .leftJoin(caseMembers, and(eq(caseMembers.caseId, cases.id), eq(caseMembers.role, 'primary')))
      .leftJoin(personIdentities, eq(personIdentities.personId, caseMembers.personId))
      .where(where)
      .orderBy(desc(cases.updatedAt), desc(cases.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const [total] = await tx.select({ value: count() }).from(cases).where(where);
    const items: CaseSummary[] = rows.map((row) => ({
      ...caseStateOf(row.case),
      channel: row.case.channel as CaseSummary['channel'],
      entryOrganisationId: row.case.entryOrganisationId,
      referentOrganisationId: row.case.referentOrganisationId,
      primaryMember:
        row.personId && row.familyName !== null && row.givenNames !== null
          ? { personId: row.personId, familyName: row.familyName, givenNames: row.givenNames }
          : null,
      openedAt: row.case.createdAt.toISOString(),
      updatedAt: row.case.updatedAt.toISOString(),
    }));
    await recordAudit(
      tx,
      call.agent,
      { action: 'case.list', subjectKind: 'case', subjectIds: items.map((item) => item.id), outcome: 'allowed' },
      auditCallOf(call),
    );
    return { items, page: query.page, pageSize: query.pageSize, total: total?.value ?? 0 };
  });
}
