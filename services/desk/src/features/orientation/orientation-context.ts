import { type AssessmentAnswers, type AssessmentForm, ageOn, identifiedNeeds } from '@parcours/assessment';
import { parisDateOf } from '@parcours/calendar';
import { assessments, caseMembers, cases, personIdentities, type Transaction } from '@parcours/db';
import type { DirectoryIndex, DirectoryService } from '@parcours/directory';
import { knownPublicsOfPerson, orientationRulesV2, publicsOfPerson, suggestForAssessment } from '@parcours/orientation';
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
    .select({
      personId: caseMembers.personId,
      communeCode: personIdentities.communeInsee,
      birthDate: personIdentities.birthDate,
    })
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
    birthDate: primary?.birthDate ?? null,
  };
}

/** The rules the desk suggests with; their `id@version` is recorded with every choice. */
export const currentOrientationRules = orientationRulesV2;

/**
 * The ranked suggestions for a case's context: its assessment's needs, in its person's commune, left to the
 * services open to the publics she may belong to (her age today in Paris, the situation recorded).
 */
export function suggestionsForContext(
  index: DirectoryIndex,
  context: { assessment: { form: AssessmentForm; answers: AssessmentAnswers }; communeCode: string; birthDate: string | null },
  now: Date,
  limit?: number,
) {
  const { form, answers } = context.assessment;
  const needs = identifiedNeeds(form, answers).map((need) => ({ domain: need.domain, level: need.level, urgency: need.urgency }));
  const age = ageOn(context.birthDate, parisDateOf(now));
  const person = { age, situation: answers.situation ?? {}, needs };
  return suggestForAssessment(
    index,
    {
      form,
      answers,
      communeCode: context.communeCode,
      personPublics: publicsOfPerson(person),
      knownPublics: knownPublicsOfPerson(person),
      today: parisDateOf(now),
      ...(limit ? { limit } : {}),
    },
    currentOrientationRules,
  );
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
