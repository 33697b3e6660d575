import type { ConsentFacts } from '@parcours/consent';
import { isConsentActive } from '@parcours/consent';
import { caseMembers, consents, type Executor } from '@parcours/db';
import type { ConsentDecision } from '@parcours/vocabulary';
import { and, eq } from 'drizzle-orm';
import type { ConsentView } from './consent.schemas.ts';

type ConsentRow = typeof consents.$inferSelect;

/** The columns the consent rules decide on (`ConsentFacts`). */
const factColumns = {
  id: consents.id,
  decision: consents.decision,
  recipientOrganisationIds: consents.recipientOrganisationIds,
  purposes: consents.purposes,
  categories: consents.categories,
  collectedAt: consents.collectedAt,
  expiresAt: consents.expiresAt,
  withdrawnAt: consents.withdrawnAt,
};

/**
 * The consents of a person, read in the caller's transaction. Never cached: every request reads them
 * again, so a withdrawal takes effect at the next request.
 */
export async function consentFactsOf(tx: Executor, personId: string): Promise<ConsentFacts[]> {
  const rows = await tx.select(factColumns).from(consents).where(eq(consents.personId, personId));
  return rows.map((row) => ({ ...row, decision: row.decision as ConsentDecision }));
}

/**
 * The person a case is about (its primary member) and that person's consents, in ONE query: this runs in
 * front of every partner request, so it costs one round trip. Never cached.
 */
export async function consentFactsOfCase(
  tx: Executor,
  caseId: string,
): Promise<{ personId: string | null; consents: ConsentFacts[] }> {
  const rows = await tx
    .select({ personId: caseMembers.personId, consent: factColumns })
    .from(caseMembers)
    .leftJoin(consents, eq(consents.personId, caseMembers.personId))
    .where(and(eq(caseMembers.caseId, caseId), eq(caseMembers.role, 'primary')));
  return {
    personId: rows[0]?.personId ?? null,
    consents: rows.flatMap((row) => (row.consent ? [{ ...row.consent, decision: row.consent.decision as ConsentDecision }] : [])),
  };
}

/** The person a case is about (its primary member): whose consent governs sharing the file. */
export async function primaryPersonOf(tx: Executor, caseId: string): Promise<string | null> {
  const [row] = await tx
    .select({ personId: caseMembers.personId })
    .from(caseMembers)
    .where(and(eq(caseMembers.caseId, caseId), eq(caseMembers.role, 'primary')));
  return row?.personId ?? null;
}

export function consentViewOf(row: ConsentRow, now: Date): ConsentView {
  return {
    id: row.id,
    personId: row.personId,
    caseId: row.caseId,
    decision: row.decision as ConsentView['decision'],
    givenBy: row.givenBy as ConsentView['givenBy'],
    representativePersonId: row.representativePersonId,
    recipientOrganisationIds: row.recipientOrganisationIds,
    purposes: row.purposes as ConsentView['purposes'],
    categories: row.categories as ConsentView['categories'],
    noticeVersion: row.noticeVersion,
    noticeSha256: row.noticeSha256,
    method: row.method as ConsentView['method'],
    collectedByAgentId: row.collectedByAgentId,
    collectedByOrganisationId: row.collectedByOrganisationId,
    collectedAt: row.collectedAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
    withdrawnBy: row.withdrawnBy as ConsentView['withdrawnBy'],
    withdrawalChannel: row.withdrawalChannel as ConsentView['withdrawalChannel'],
    active: isConsentActive({ ...row, decision: row.decision as ConsentDecision }, now),
  };
}
