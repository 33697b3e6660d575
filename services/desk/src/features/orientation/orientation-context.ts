import type { AssessmentAnswers } from '@parcours/assessment';
import { assessments, caseMembers, cases, personIdentities, type Transaction } from '@parcours/db';
import type { DirectoryService } from '@parcours/directory';
import { and, eq } from 'drizzle-orm';
import { formOf } from '../assessments/assessment-record.ts';
import type { TerritoryDirectory } from '../directory/directory-cache.ts';
import type { ServiceCard } from './orientation.schemas.ts';

/**
 * What orientation starts from: the case (locked for a choice), its current completed assessment, and
 * the commune of its primary member. Null when the case does not exist.
 */
export async function readOrientationContext(tx: Transaction, caseId: string, options: { lock: boolean }) {
  const query = tx.select().from(cases).where(eq(cases.id, caseId));
  const [caseRow] = options.lock ? await query.for('update') : await query;
  if (!caseRow) return null;
  const [assessment] = await tx
    .select()
    .from(assessments)
    .where(and(eq(assessments.caseId, caseId), eq(assessments.status, 'completed')));
  const [primary] = await tx
    .select({ personId: caseMembers.personId, communeCode: personIdentities.communeInsee })
    .from(caseMembers)
    .leftJoin(personIdentities, eq(personIdentities.personId, caseMembers.personId))
    .where(and(eq(caseMembers.caseId, caseId), eq(caseMembers.role, 'primary')));
  return {
    caseRow,
    assessment: assessment
      ? { id: assessment.id, form: formOf(assessment), answers: assessment.answers as AssessmentAnswers }
      : null,
    personId: primary?.personId ?? null,
    communeCode: primary?.communeCode ?? null,
  };
}

export function serviceCardOf(service: DirectoryService, directory: TerritoryDirectory): ServiceCard {
  return {
    id: service.id,
    name: service.name,
    organisationName: service.organisation.name,
    organisationKind: service.organisation.kind,
    bundles: service.bundles,
    waitingTimeDays: service.waitingTimeDays,
    acceptsReferrals: service.acceptsReferrals,
    referable: service.acceptsReferrals && Boolean(directory.organisationOf.get(service.id)),
    referralRoute: directory.referralRouteOf(service.id),
  };
}
