import { assessmentFormOf } from '@parcours/assessment';
import { filterToCategories } from '@parcours/consent';
import { assessments, type cases, type Executor, personIdentities } from '@parcours/db';
import type { DataCategory } from '@parcours/vocabulary';
import { and, eq } from 'drizzle-orm';
import type { PartnerCaseData } from './referral.schemas.ts';

type CaseRow = typeof cases.$inferSelect;
type NeedAnswer = { level?: string; urgency?: string | null; note?: string | null };

/**
 * The case as a partner may see it: only the allowed categories are READ, and the answer is then built
 * from the allowed list again (`filterToCategories`), so a category the consent does not cover can reach
 * the answer neither by a query nor by a field added later.
 */
export async function readPartnerCaseData(
  tx: Executor,
  caseRow: CaseRow,
  personId: string,
  allowed: readonly DataCategory[],
): Promise<PartnerCaseData> {
  const data: PartnerCaseData = {};
  const has = (category: DataCategory) => allowed.includes(category);
  if (has('identity') || has('contact')) {
    const [identity] = await tx.select().from(personIdentities).where(eq(personIdentities.personId, personId));
    if (has('identity')) {
      data.identity = {
        familyName: identity?.familyName ?? null,
        givenNames: identity?.givenNames ?? null,
        birthName: identity?.birthName ?? null,
        birthDate: identity?.birthDate ?? null,
      };
    }
    if (has('contact')) {
      data.contact = {
        phone: identity?.phone ?? null,
        email: identity?.email ?? null,
        communeInsee: identity?.communeInsee ?? null,
      };
    }
  }
  if (has('situation_summary')) {
    data.situation_summary = {
      expressedRequest: caseRow.expressedRequest,
      stage: caseRow.stage,
      channel: caseRow.channel,
      openedAt: caseRow.createdAt.toISOString(),
    };
  }
  if (has('assessment') || has('health') || has('free_notes')) {
    const [current] = await tx
      .select()
      .from(assessments)
      .where(and(eq(assessments.caseId, caseRow.id), eq(assessments.status, 'completed')));
    const form = current ? assessmentFormOf(current.formId, current.formVersion) : null;
    const needs = ((current?.answers as { needs?: Record<string, NeedAnswer> } | undefined)?.needs ?? {}) as Record<
      string,
      NeedAnswer
    >;
    const categoryOf = (domain: string): DataCategory =>
      (form?.domains.find((candidate) => candidate.code === domain)?.dataCategory as DataCategory | undefined) ?? 'health';
    const needsIn = (category: DataCategory) =>
      Object.entries(needs)
        .filter(([domain, answer]) => categoryOf(domain) === category && answer.level && answer.level !== 'none')
        .map(([domain, answer]) => ({ domain, level: answer.level ?? 'none', urgency: answer.urgency ?? null }));
    if (has('assessment')) {
      data.assessment = current
        ? { completedAt: current.completedAt?.toISOString() ?? null, needs: needsIn('assessment') }
        : null;
    }
    if (has('health')) data.health = current ? { needs: needsIn('health') } : null;
    if (has('free_notes')) {
      // A note under a health domain is health data too: shown only when health is allowed as well.
      data.free_notes = {
        notes: Object.entries(needs)
          .filter(([domain, answer]) => answer.note && (categoryOf(domain) !== 'health' || has('health')))
          .map(([domain, answer]) => ({ domain, note: answer.note ?? '' })),
      };
    }
  }
  return filterToCategories(data, allowed);
}
