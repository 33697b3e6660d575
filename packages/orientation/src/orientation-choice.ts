import type { AssessmentIssue, Validation } from '@parcours/assessment';

import type { DirectoryIndex } from '@parcours/directory';
import { type OrientationChoiceReason, orientationChoiceReasons } from '@parcours/vocabulary';
import type { OrientationRules } from './orientation-rules.ts';
import type { Suggestion } from './suggest-services.ts';

export const orientationChoiceReasonLabels: Record<OrientationChoiceReason, string> = {
  best_suggestion: 'Service le mieux adapté parmi les suggestions',
  person_preference: 'Choix de la personne',
  proximity: 'Plus proche ou plus accessible pour la personne',
  shorter_wait: 'Délai d’attente plus court',
  continuity_of_support: 'Continuité d’un accompagnement déjà engagé',
  specialised_service: 'Service spécialisé plus adapté',
  agent_knowledge: 'Connaissance du partenaire par l’agent',
  other: 'Autre raison (précisée)',
};

export interface OrientationChoiceInput {
  serviceId: string;
  reasonCode?: OrientationChoiceReason | undefined;
  /** About the choice and the service, never about the person. */
  reasonText?: string | undefined;
}

/** What to write in `orientation_choices`, and whether a draft referral follows. */
export interface OrientationChoicePlan {
  serviceId: string;
  suggested: boolean;
  suggestionRank: number | null;
  rulesVersion: string;
  reasonCode: OrientationChoiceReason | null;
  reasonText: string | null;
  /** The service answers orientations through Parcours: choosing it creates a draft referral. */
  createsReferral: boolean;
}

/**
 * Checks an agent's choice against the suggestions shown: any active service of the directory may be
 * chosen, but one outside the suggestions needs a reason code (and `other` needs words).
 */
export function planOrientationChoice(
  index: DirectoryIndex,
  suggestions: readonly Suggestion[],
  rules: Pick<OrientationRules, 'id' | 'version'>,
  choice: OrientationChoiceInput,
): Validation<OrientationChoicePlan> {
  const issues: AssessmentIssue[] = [];
  const entry = index.byId.get(choice.serviceId);
  if (!entry) issues.push({ path: 'serviceId', message: 'service inconnu ou inactif dans l’annuaire' });
  const suggestion = suggestions.find((candidate) => candidate.serviceId === choice.serviceId);
  if (choice.reasonCode !== undefined && !(orientationChoiceReasons as readonly string[]).includes(choice.reasonCode)) {
    issues.push({ path: 'reasonCode', message: 'motif de choix inconnu' });
  }
  if (!suggestion && !choice.reasonCode)
    issues.push({ path: 'reasonCode', message: 'motif obligatoire pour un service choisi hors des suggestions' });
  const reasonText = choice.reasonText?.trim() || null;
  if (choice.reasonCode === 'other' && !reasonText) issues.push({ path: 'reasonText', message: 'préciser la raison du choix' });
  if (reasonText && reasonText.length > 500)
    issues.push({ path: 'reasonText', message: 'raison trop longue (500 caractères au plus)' });
  if (issues.length > 0 || !entry) return { ok: false, issues };
  return {
    ok: true,
    value: {
      serviceId: choice.serviceId,
      suggested: Boolean(suggestion),
      suggestionRank: suggestion?.rank ?? null,
      rulesVersion: `${rules.id}@${rules.version}`,
      reasonCode: choice.reasonCode ?? null,
      reasonText,
      createsReferral: entry.service.acceptsReferrals,
    },
  };
}
