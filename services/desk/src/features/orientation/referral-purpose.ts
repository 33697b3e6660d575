import type { BundleCode, ReferralPurpose } from '@parcours/vocabulary';

/** The referral's purpose from the need it answers (assessment form v1 domains). */
const purposeOfDomain: Record<string, ReferralPurpose> = {
  resources_rights: 'rights_opening',
  budget_debt: 'social_support',
  food_basic_needs: 'social_support',
  housing: 'housing',
  shelter: 'housing',
  energy_utilities: 'social_support',
  employment: 'professional_integration',
  training_skills: 'professional_integration',
  business_activity: 'professional_integration',
  mobility: 'social_support',
  administrative: 'information',
  legal_rights: 'information',
  safety_violence: 'social_support',
  early_childhood_parenting: 'social_support',
  children_education: 'social_support',
  health: 'health_care',
  autonomy: 'autonomy_support',
  isolation: 'social_support',
  digital_access: 'information',
  daily_life: 'information',
  leisure_culture: 'social_support',
};

/** … or, for a service chosen outside the suggestions, from its first bundle. */
const purposeOfBundle: Record<BundleCode, ReferralPurpose> = {
  'information-orientation': 'information',
  securite: 'social_support',
  'justice-droit': 'information',
  'formalites-administratives': 'rights_opening',
  'prestations-sociales': 'rights_opening',
  'petite-enfance': 'social_support',
  education: 'social_support',
  sante: 'health_care',
  'services-a-domicile': 'autonomy_support',
  'aide-accompagnement-social': 'social_support',
  emploi: 'professional_integration',
  'economie-creation-activite': 'professional_integration',
  'formation-professionnelle': 'professional_integration',
  'hebergement-logement': 'housing',
  transport: 'social_support',
  'culture-sport-loisirs': 'social_support',
  'services-marchands-publics': 'information',
  'services-marchands-prives': 'information',
};

/** The purpose a draft referral gets when the agent names none. */
export function referralPurposeOf(input: { needDomain?: string | undefined; bundles: readonly BundleCode[] }): ReferralPurpose {
  const byNeed = input.needDomain === undefined ? undefined : purposeOfDomain[input.needDomain];
  const firstBundle = input.bundles[0];
  return byNeed ?? (firstBundle ? purposeOfBundle[firstBundle] : 'social_support');
}
