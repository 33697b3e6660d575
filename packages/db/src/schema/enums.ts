/**
 * Closed vocabularies shared by the schema and the API. Stored as text with CHECK constraints
 * (not PostgreSQL enums) so that adding a value is a plain migration on PostgreSQL 15 and PGlite.
 */
export const organisationKinds = [
  'france_services',
  'ccas',
  'caf',
  'msa',
  'cpam',
  'france_travail',
  'mission_locale',
  'departement_social_service',
  'dac',
  'clic',
  'association',
  'other',
] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

/** `health_data`: may read health data of the cases the other roles reach (a partner's health professional). */
export const membershipRoles = ['reception', 'referent', 'partner', 'supervisor', 'admin', 'auditor', 'health_data'] as const;
export type MembershipRole = (typeof membershipRoles)[number];

export const receptionChannels = ['physical', 'phone', 'email', 'visio', 'itinerant'] as const;
export type ReceptionChannel = (typeof receptionChannels)[number];

export const caseMemberRoles = ['primary', 'household_member', 'legal_representative'] as const;
export type CaseMemberRole = (typeof caseMemberRoles)[number];

export const actorKinds = ['agent', 'partner_link', 'system', 'person'] as const;
export type ActorKind = (typeof actorKinds)[number];

export const referralPurposes = [
  'information',
  'rights_opening',
  'social_support',
  'professional_integration',
  'housing',
  'health_care',
  'autonomy_support',
  'case_management',
] as const;
export type ReferralPurpose = (typeof referralPurposes)[number];

/** Data categories a referral may carry; a sharing consent covers a subset of them. */
export const dataCategories = ['identity', 'contact', 'situation_summary', 'assessment', 'health', 'free_notes'] as const;
export type DataCategory = (typeof dataCategories)[number];

export const timerStatuses = ['armed', 'fired', 'cancelled'] as const;
export type TimerStatus = (typeof timerStatuses)[number];

export const referenceCodeLists = ['closure_reason', 'decline_reason', 'non_take_up_reason'] as const;
export type ReferenceCodeList = (typeof referenceCodeLists)[number];

export function sqlInList(values: readonly string[]): string {
  return values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ');
}
