import { z } from 'zod';

/**
 * The MAIA case-management test (gestion de cas). Each answer is true, false, or null when not yet
 * known; the test is eligible only when every criterion is known and met.
 */
export const CaseManagementAnswers = z.object({
  /** Problems of functional autonomy (daily activities). */
  functionalProblems: z.boolean().nullable(),
  /** Medical problems (chronic illness, unstable health). */
  medicalProblems: z.boolean().nullable(),
  /** Problems of decision-making autonomy (cognitive disorders, unable to decide for oneself). */
  decisionMakingProblems: z.boolean().nullable(),
  /** The help and care in place are insufficient or inadequate. */
  helpInPlaceInsufficient: z.boolean().nullable(),
  /** Someone in the close circle (family, friends) is able to coordinate the help. */
  closeCircleAbleToCoordinate: z.boolean().nullable(),
});
export type CaseManagementAnswers = z.infer<typeof CaseManagementAnswers>;

export const caseManagementCriteria = ['unstable_situation', 'insufficient_help', 'no_coordinating_circle'] as const;
export type CaseManagementCriterion = (typeof caseManagementCriteria)[number];

export interface CriterionResult {
  criterion: CaseManagementCriterion;
  /** null: not enough answers to tell. */
  met: boolean | null;
  /** French sentence explaining the result. */
  reason: string;
}

export interface CaseManagementEligibility {
  eligible: boolean;
  criteria: CriterionResult[];
  /** French reasons, one per criterion, in the order of the test. */
  reasons: string[];
}

const and3 = (values: Array<boolean | null>): boolean | null =>
  values.includes(false) ? false : values.includes(null) ? null : true;

function unstableSituation(answers: CaseManagementAnswers): CriterionResult {
  const parts = [
    { value: answers.functionalProblems, label: 'fonctionnels' },
    { value: answers.medicalProblems, label: 'médicaux' },
    { value: answers.decisionMakingProblems, label: 'd’autonomie décisionnelle' },
  ];
  const met = and3(parts.map((part) => part.value));
  const missing = parts.filter((part) => part.value === null).map((part) => part.label);
  const absent = parts.filter((part) => part.value === false).map((part) => part.label);
  const reason =
    met === true
      ? 'Situation instable : problèmes fonctionnels, médicaux et d’autonomie décisionnelle cumulés.'
      : met === false
        ? `Situation non instable au sens MAIA : pas de problèmes ${absent.join(', ')}.`
        : `Situation à préciser : problèmes ${missing.join(', ')} non renseignés.`;
  return { criterion: 'unstable_situation', met, reason };
}

function insufficientHelp(answers: CaseManagementAnswers): CriterionResult {
  const met = answers.helpInPlaceInsufficient;
  const reason =
    met === true
      ? 'Les aides en place sont insuffisantes ou inadaptées.'
      : met === false
        ? 'Les aides en place répondent à la situation.'
        : 'Adéquation des aides en place non renseignée.';
  return { criterion: 'insufficient_help', met, reason };
}

function noCoordinatingCircle(answers: CaseManagementAnswers): CriterionResult {
  const able = answers.closeCircleAbleToCoordinate;
  const met = able === null ? null : !able;
  const reason =
    met === true
      ? 'Aucun proche n’est en mesure de coordonner les aides.'
      : met === false
        ? 'Un proche est en mesure de coordonner les aides.'
        : 'Capacité de l’entourage à coordonner non renseignée.';
  return { criterion: 'no_coordinating_circle', met, reason };
}

/**
 * Orientation to case management (gestion de cas) when all three MAIA criteria hold: an unstable
 * situation (functional + medical + decision-making problems), help in place insufficient, and no close
 * circle able to coordinate. Pure; the journey's ENTER_CASE_MANAGEMENT event follows an eligible result.
 */
export function caseManagementEligibility(answers: CaseManagementAnswers): CaseManagementEligibility {
  const criteria = [unstableSituation(answers), insufficientHelp(answers), noCoordinatingCircle(answers)];
  return {
    eligible: criteria.every((criterion) => criterion.met === true),
    criteria,
    reasons: criteria.map((criterion) => criterion.reason),
  };
}

export const emptyCaseManagementAnswers: CaseManagementAnswers = {
  functionalProblems: null,
  medicalProblems: null,
  decisionMakingProblems: null,
  helpInPlaceInsufficient: null,
  closeCircleAbleToCoordinate: null,
};
