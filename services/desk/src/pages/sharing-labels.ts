import { multidimensionalFormV1, needLevelLabels, urgencyScale } from '@parcours/assessment';

import type { appointmentModes, ReferralStatus } from '@parcours/journey';
import {
  type ConsentGiver,
  type ConsentMethod,
  type DataCategory,
  declineReasons,
  type ReferralPurpose,
  referralOutcomes,
  referralPurposeNames,
  type WithdrawalChannel,
  type Withdrawer,
} from '@parcours/vocabulary';
import { parisStartOfDay } from './view-engine.ts';

/** French words of the consent and referral pages, for agents (the notice has its own, for the person). */

export const dataCategoryLabels: Record<DataCategory, string> = {
  identity: 'Identité',
  contact: 'Coordonnées',
  situation_summary: 'Résumé de la demande et de l’étape',
  assessment: 'Évaluation (hors santé)',
  health: 'Santé et autonomie',
  free_notes: 'Notes libres des professionnels',
};

export const referralPurposeLabels: Record<ReferralPurpose, string> = referralPurposeNames;

export const consentMethodLabels: Record<ConsentMethod, string> = {
  oral_attested: 'Accord oral, attesté par l’agent',
  signed_paper: 'Notice signée sur papier',
  digital: 'Accord numérique de la personne',
};

export const consentGiverLabels: Record<ConsentGiver, string> = {
  person: 'La personne elle-même',
  legal_representative: 'Son représentant légal',
};

export const withdrawerLabels: Record<Withdrawer, string> = {
  person: 'La personne',
  legal_representative: 'Son représentant légal',
};

export const withdrawalChannelLabels: Record<WithdrawalChannel, string> = {
  in_person: 'En personne, à l’accueil',
  phone: 'Par téléphone',
  email: 'Par courriel',
  postal_mail: 'Par courrier',
  digital: 'En ligne',
};

export const referralStatusLabels: Record<ReferralStatus, string> = {
  draft: 'Brouillon',
  sent: 'Envoyée',
  seen: 'Vue par le partenaire',
  underStudy: 'À l’étude',
  accepted: 'Acceptée',
  appointmentSet: 'Rendez-vous fixé',
  inProgress: 'Accompagnement en cours',
  completed: 'Terminée',
  declined: 'Refusée',
  redirected: 'Réorientée',
  noShow: 'Absence au rendez-vous',
  abandoned: 'Abandonnée',
  expired: 'Expirée sans réponse',
  cancelled: 'Annulée',
};

/** DSFR badge of a status: what needs the agent's eye stands out. */
export function referralStatusBadge(status: ReferralStatus): string {
  if (status === 'accepted' || status === 'appointmentSet' || status === 'inProgress' || status === 'completed') return 'success';
  if (status === 'declined' || status === 'expired' || status === 'noShow' || status === 'abandoned') return 'warning';
  if (status === 'cancelled' || status === 'redirected') return 'info';
  if (status === 'draft') return 'new';
  return 'info';
}

export const appointmentModeLabels: Record<(typeof appointmentModes)[number], string> = {
  in_person: 'En personne',
  phone: 'Par téléphone',
  visio: 'En visio depuis un point d’accueil',
};

export const declineReasonLabels: Record<string, string> = declineReasons;
export const referralOutcomeLabels: Record<string, string> = referralOutcomes;

/** The partner's answers, as buttons. */
export const answerLabels: Record<string, string> = {
  MARK_SEEN: 'Marquer comme vue',
  START_STUDY: 'Mettre à l’étude',
  ACCEPT: 'Accepter',
  DECLINE: 'Refuser',
  REDIRECT: 'Réorienter vers une autre structure',
  SET_APPOINTMENT: 'Fixer le rendez-vous',
  START_SUPPORT: 'Commencer l’accompagnement',
  REPORT_NO_SHOW: 'Signaler une absence au rendez-vous',
  COMPLETE: 'Terminer l’accompagnement',
  ABANDON: 'Signaler un abandon',
};

const domainLabels = new Map(multidimensionalFormV1.domains.map((domain) => [domain.code, domain.label]));
const urgencyLabels = new Map<string, string>(urgencyScale.map((step) => [step.code, step.label]));

/** `housing, severe, urgent` → `Logement — besoin sévère — Urgent`. */
export function needLabel(need: { domain: string; level: string; urgency: string | null }): string {
  const level = (needLevelLabels as Record<string, string>)[need.level] ?? need.level;
  const urgency = need.urgency ? (urgencyLabels.get(need.urgency) ?? need.urgency) : null;
  return [domainLabels.get(need.domain) ?? need.domain, `besoin ${level}`, urgency].filter(Boolean).join(' — ');
}

export function domainLabel(code: string): string {
  return domainLabels.get(code) ?? code;
}

/** A calendar day and a time typed in Paris (`2026-04-12`, `14:30`) → the instant, with its offset that day. */
export function parisInstantOf(date: string, time: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const midnight = parisStartOfDay(new Date(`${date}T12:00:00Z`));
  if (Number.isNaN(midnight.getTime())) return null;
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  if (hours > 23 || minutes > 59) return null;
  // Midnight plus the wall-clock time: off by an hour only on the night of a clock change, at 2-3 am.
  return new Date(midnight.getTime() + (hours * 60 + minutes) * 60_000);
}

/** The midnight that ends a calendar day in Paris (a consent « jusqu’au 30 juin » holds all that day). */
export function parisEndOfDayOf(date: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const midnight = parisStartOfDay(new Date(`${date}T12:00:00Z`));
  if (Number.isNaN(midnight.getTime())) return null;
  return parisStartOfDay(new Date(midnight.getTime() + 36 * 60 * 60 * 1000));
}
