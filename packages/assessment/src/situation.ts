import { z } from 'zod';

/**
 * The person's situation as the assessment records it, beside the needs: who lives with her, what she does,
 * the band of her resources. Optional answers: what is missing makes a right « à vérifier », never
 * « suggéré ». With her age (from her birth date), it is what the rights' eligibility conditions read.
 */
export const householdKinds = ['alone', 'couple', 'couple_with_children', 'single_parent'] as const;
export type HouseholdKind = (typeof householdKinds)[number];
export const activityKinds = ['employed', 'jobseeker', 'retired', 'student', 'unable_to_work', 'other'] as const;
export type ActivityKind = (typeof activityKinds)[number];
/** Resources of the household per month, against the thresholds of the minimum social benefits. */
export const resourceBands = ['none_or_minimum', 'modest', 'above'] as const;
export type ResourceBand = (typeof resourceBands)[number];

export const householdLabels: Record<HouseholdKind, string> = {
  alone: 'Vit seule ou seul',
  couple: 'En couple, sans enfant à charge',
  couple_with_children: 'En couple, avec enfant(s) à charge',
  single_parent: 'Parent seul avec enfant(s) à charge',
};
export const activityLabels: Record<ActivityKind, string> = {
  employed: 'En emploi (même partiel)',
  jobseeker: 'À la recherche d’un emploi',
  retired: 'Retraité ou retraitée',
  student: 'En études ou en formation',
  unable_to_work: 'Ne peut pas travailler (santé, handicap)',
  other: 'Autre situation',
};
export const resourceLabels: Record<ResourceBand, string> = {
  none_or_minimum: 'Aucune ressource, ou minima sociaux',
  modest: 'Ressources modestes (jusqu’à environ 1,5 SMIC pour le foyer)',
  above: 'Ressources au-delà',
};

export const SituationAnswers = z.object({
  household: z.enum(householdKinds).optional(),
  activity: z.enum(activityKinds).optional(),
  resources: z.enum(resourceBands).optional(),
});
export type SituationAnswers = z.infer<typeof SituationAnswers>;

/** Full years between a birth date (`YYYY-MM-DD`) and a day (`YYYY-MM-DD`); null without a birth date. */
export function ageOn(birthDate: string | null | undefined, day: string): number | null {
  if (!birthDate) return null;
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** What a right's eligibility reads of the person. */
export interface PersonFacts {
  age: number | null;
  situation: SituationAnswers;
}

export const hasChildren = (household: HouseholdKind | undefined): boolean | undefined =>
  household === undefined ? undefined : household === 'couple_with_children' || household === 'single_parent';
