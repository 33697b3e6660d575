import { caseMembers, cases, type Database, personIdentities, withActor } from '@parcours/db';
import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { auditCallOf, type DeskCall } from '../desk-call.ts';
import { actorOf, canReachCase } from '../policy/access-policy.ts';
import type { CaseDetail } from './case.schemas.ts';
import { caseStateOf } from './case-state.ts';

/**
 * A case with its members, or null when it does not exist or the organisation does not reach it (the
 * two are indistinguishable on purpose). Either way the attempt is audited in the same transaction.
 */
export async function getCase(db: Database, caseId: string, call: DeskCall): Promise<CaseDetail | null> {
  return withActor(db, actorOf(call.agent), async (tx) => {
    const [row] = await tx.select().from(cases).where(eq(cases.id, caseId));
    if (!row || !canReachCase(call.agent, row)) {
      await recordAudit(
        tx,
        call.agent,
        { action: 'case.read', subjectKind: 'case', subjectIds: [caseId], outcome: 'denied' },
        auditCallOf(call),
      );
      return null;
    }
    const members = await tx
      .select({
        personId: caseMembers.personId,
        role: caseMembers.role,
        familyName: personIdentities.familyName,
        givenNames: personIdentities.givenNames,
        birthDate: personIdentities.birthDate,
        communeInsee: personIdentities.communeInsee,
      })
      .from(caseMembers)
      .leftJoin(personIdentities, eq(personIdentities.personId, caseMembers.personId))
      .where(eq(caseMembers.caseId, caseId))
      .orderBy(asc(caseMembers.createdAt), asc(caseMembers.personId));
    await recordAudit(
      tx,
      call.agent,
      {
        action: 'case.read',
        subjectKind: 'case',
        subjectIds: [caseId, ...members.map((member) => member.personId)],
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return {
      ...caseStateOf(row),
      channel: row.channel as CaseDetail['channel'],
      expressedRequest: row.expressedRequest,
      entryOrganisationId: row.entryOrganisationId,
      referentOrganisationId: row.referentOrganisationId,
      referentAgentId: row.referentAgentId,
      closureReason: row.closureReason,
      openedAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      closedAt: row.closedAt?.toISOString() ?? null,
      members: members.map((member) => ({ ...member, role: member.role as CaseDetail['members'][number]['role'] })),
    };
  });
}
