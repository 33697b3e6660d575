/**
 * Closed vocabularies of Parcours: the codes stored in rows and events and exchanged by the API. The
 * database enforces each with a CHECK constraint (text, not PostgreSQL enums, so that adding a value is a
 * plain migration on PostgreSQL 15 and PGlite); labels for people live with the pages.
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
/** How a partner agent hears of new referrals: one mail each, or one digest per half-day. */
export const referralMailModes = ['each', 'digest'] as const;
export type ReferralMailMode = (typeof referralMailModes)[number];
export type MembershipRole = (typeof membershipRoles)[number];

export const receptionChannels = ['physical', 'phone', 'email', 'visio', 'itinerant'] as const;
export type ReceptionChannel = (typeof receptionChannels)[number];
export const receptionChannelLabels: Record<ReceptionChannel, string> = {
  physical: 'Accueil physique',
  phone: 'Téléphone',
  email: 'Courriel',
  visio: 'Visioconférence',
  itinerant: 'Accueil itinérant',
};

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

/** How agents read a referral's purpose (pages, mails); the person's own wording is in the consent notice. */
export const referralPurposeNames: Record<ReferralPurpose, string> = {
  information: 'Information',
  rights_opening: 'Ouverture de droits',
  social_support: 'Accompagnement social',
  professional_integration: 'Insertion professionnelle',
  housing: 'Logement',
  health_care: 'Soins',
  autonomy_support: 'Soutien à l’autonomie',
  case_management: 'Gestion de cas',
};

/** Data categories a referral may carry; a sharing consent covers a subset of them. */
export const dataCategories = ['identity', 'contact', 'situation_summary', 'assessment', 'health', 'free_notes'] as const;
export type DataCategory = (typeof dataCategories)[number];

export const timerStatuses = ['armed', 'fired', 'cancelled'] as const;
export type TimerStatus = (typeof timerStatuses)[number];

export const referenceCodeListNames = ['closure_reason', 'decline_reason', 'non_take_up_reason'] as const;
export type ReferenceCodeList = (typeof referenceCodeListNames)[number];

// Sharing consent (CSP L.1110-4, CASF L.121-6-2, décret 2016-1349).
/** A consent to sharing, or an opposition to any sharing. */
export const consentDecisions = ['consent', 'opposition'] as const;
export type ConsentDecision = (typeof consentDecisions)[number];

/** Who expressed it: the person, or their legal representative (recorded as such). */
export const consentGivers = ['person', 'legal_representative'] as const;
export type ConsentGiver = (typeof consentGivers)[number];

export const consentMethods = ['oral_attested', 'signed_paper', 'digital'] as const;
export type ConsentMethod = (typeof consentMethods)[number];

/** The four pieces of information the person must have been given before consenting. */
export const consentInformationItems = ['what_is_shared', 'with_whom', 'by_what_means', 'which_security'] as const;
export type ConsentInformationItem = (typeof consentInformationItems)[number];

export const withdrawalChannels = ['in_person', 'phone', 'email', 'postal_mail', 'digital'] as const;
export type WithdrawalChannel = (typeof withdrawalChannels)[number];

/** Who withdrew: the person, their legal representative (through an agent), or the agent on a documented request. */
export const withdrawers = ['person', 'legal_representative'] as const;
export type Withdrawer = (typeof withdrawers)[number];

// Assessment and orientation.
/** draft → completed → superseded (by a newer assessment of the same case). */
export const assessmentStatuses = ['draft', 'completed', 'superseded'] as const;
export type AssessmentStatus = (typeof assessmentStatuses)[number];

/**
 * Follow-up of a potential right: identified at assessment, then requested, until one of the three
 * outcomes (opened, refused, not_requested) that non-take-up measurement counts.
 */
export const potentialRightStatuses = ['identified', 'requested', 'opened', 'refused', 'not_requested'] as const;
export type PotentialRightStatus = (typeof potentialRightStatuses)[number];

/** Why the agent chose a service (required when it was not among the suggestions). */
export const orientationChoiceReasons = [
  'best_suggestion',
  'person_preference',
  'proximity',
  'shorter_wait',
  'continuity_of_support',
  'specialised_service',
  'agent_knowledge',
  'other',
] as const;
export type OrientationChoiceReason = (typeof orientationChoiceReasons)[number];

// First-level contacts.
/**
 * What became of a first-level contact: answered on the spot (information, a form filled in), or turned
 * into a case because the request needs an assessment.
 */
export const contactOutcomes = ['answered', 'case_opened'] as const;
export type ContactOutcome = (typeof contactOutcomes)[number];
