/**
 * The indicators supervisors read, each with the formula the README and the page's help give. Codes are
 * stored in the aggregates: never rename one.
 */

/** A measured delay: from one logged fact of a case or a referral to another. */
export const delayStages = [
  'contact_to_case',
  'case_to_assessment',
  'assessment_to_referral',
  'case_to_orientation',
  'referral_to_answer',
  'accepted_to_appointment',
  'case_to_appointment',
  'handover_to_pickup',
] as const;
export type DelayStage = (typeof delayStages)[number];

export interface DelayStageDefinition {
  label: string;
  /** From what to what, in the words of the help. */
  formula: string;
  /** Measured per receiving partner (the partner filter applies). */
  perPartner: boolean;
  /** The territory's target this stage is judged against, if any. */
  target: 'orientationDays' | 'appointmentDays' | null;
}

export const delayStageDefinitions: Record<DelayStage, DelayStageDefinition> = {
  contact_to_case: {
    label: 'Premier contact → dossier ouvert',
    formula: 'Du premier contact rattaché au dossier à l’ouverture du dossier.',
    perPartner: false,
    target: null,
  },
  case_to_assessment: {
    label: 'Dossier ouvert → évaluation terminée',
    formula: 'De l’ouverture du dossier à la première évaluation multidimensionnelle terminée.',
    perPartner: false,
    target: null,
  },
  assessment_to_referral: {
    label: 'Évaluation → première orientation envoyée',
    formula: 'De la première évaluation terminée à la première orientation envoyée à un partenaire.',
    perPartner: false,
    target: null,
  },
  case_to_orientation: {
    label: 'Dossier ouvert → orientée',
    formula: 'De l’ouverture du dossier à la première orientation envoyée à un partenaire (cible : orientée en 45 jours).',
    perPartner: false,
    target: 'orientationDays',
  },
  referral_to_answer: {
    label: 'Orientation envoyée → réponse du partenaire',
    formula:
      'De l’envoi d’une orientation à la première décision du partenaire (acceptée, refusée ou réorientée), par partenaire destinataire.',
    perPartner: true,
    target: null,
  },
  accepted_to_appointment: {
    label: 'Acceptée → premier rendez-vous',
    formula: 'De l’acceptation d’une orientation à la date du premier rendez-vous fixé, par partenaire.',
    perPartner: true,
    target: null,
  },
  case_to_appointment: {
    label: 'Délai d’accès : dossier ouvert → premier rendez-vous',
    formula:
      'De l’ouverture du dossier à la date du premier rendez-vous fixé par un partenaire, quel qu’il soit (cible : 30 jours).',
    perPartner: true,
    target: 'appointmentDays',
  },
  handover_to_pickup: {
    label: 'Passage de relais → reprise du dossier',
    formula:
      'Du passage du rôle de référent à une autre structure à la première action d’un agent de cette structure sur le dossier.',
    perPartner: true,
    target: null,
  },
};

/** Counted facts (activity, losses, non-take-up). The `code` and `detail` columns say what each counts. */
export const countMeasures = [
  /** A first-level contact; code = outcome (`answered`: it stayed without a case), bundle = its topic. */
  'contact',
  /** A case opened; at its entry organisation, channel and commune. */
  'case_opened',
  /** A case closed; code = closure reason. */
  'case_closed',
  /** A referral sent; at its partner and bundle. */
  'referral_sent',
  /** A referral that reached a final status; code = the status, detail = the decline reason. */
  'referral_ended',
  /** A potential right at a step of its funnel (month of the case's entry); code = right, detail = reason. */
  'right_detected',
  'right_requested',
  'right_opened',
  'right_refused',
  'right_not_requested',
] as const;
export type CountMeasure = (typeof countMeasures)[number];

/** Referral statuses that end a referral without the service: the losses supervisors look at. */
export const lostReferralStatuses = ['declined', 'expired', 'noShow', 'abandoned', 'redirected', 'cancelled'] as const;

/** Both ways of counting a delay: the territory's working days, and calendar days. */
export const dayKinds = ['working', 'calendar'] as const;
export type DayKind = (typeof dayKinds)[number];
