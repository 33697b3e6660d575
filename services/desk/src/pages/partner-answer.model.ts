import { codesOf, declineReasons, referralOutcomes } from '@parcours/vocabulary';
import { z } from 'zod';
import type { PartnerAnswer, PartnerReferral } from '../features/referrals/referral.schemas.ts';
import { AppError } from '../http/app-error.ts';
import type { FieldErrors } from './form-errors.ts';
import { channelLabels, stageLabels } from './labels.ts';
import { textOf } from './sharing-context.ts';
import {
  answerLabels,
  appointmentModeLabels,
  dataCategoryLabels,
  declineReasonLabels,
  domainLabel,
  needLabel,
  parisInstantOf,
  referralPurposeLabels,
  referralStatusBadge,
  referralStatusLabels,
} from './sharing-labels.ts';

/** What a partner sees of a case: one block per covered category, in French. */
export function partnerDataModelOf(read: PartnerReferral) {
  const data = read.data;
  return {
    categories: read.visibleCategories.map((category) => dataCategoryLabels[category]),
    identity: data.identity ?? null,
    contact: data.contact ?? null,
    situation: data.situation_summary
      ? {
          expressedRequest: data.situation_summary.expressedRequest,
          stage: stageLabels[data.situation_summary.stage as keyof typeof stageLabels] ?? data.situation_summary.stage,
          channel: channelLabels[data.situation_summary.channel as keyof typeof channelLabels] ?? data.situation_summary.channel,
          openedAt: data.situation_summary.openedAt,
        }
      : null,
    assessment:
      data.assessment === undefined
        ? null
        : {
            shown: true,
            completedAt: data.assessment?.completedAt ?? null,
            needs: (data.assessment?.needs ?? []).map(needLabel),
          },
    health: data.health === undefined ? null : { shown: true, needs: (data.health?.needs ?? []).map(needLabel) },
    notes:
      data.free_notes === undefined
        ? null
        : data.free_notes.notes.map((note) => ({ domain: domainLabel(note.domain), note: note.note })),
  };
}

/** The referral's own facts for a partner: who sent it, why, where it stands. */
export function partnerReferralFactsOf(
  read: PartnerReferral,
  senderName: string,
  now: Date,
  names: ReadonlyMap<string, string> = new Map(),
) {
  const referral = read.referral;
  return {
    id: referral.id,
    revision: referral.revision,
    sender: senderName,
    purpose: referralPurposeLabels[referral.purpose],
    status: referralStatusLabels[referral.status],
    badge: referralStatusBadge(referral.status),
    sentAt: referral.sentAt,
    dueAt: referral.dueAt,
    overdue: referral.dueAt !== null && new Date(referral.dueAt).getTime() <= now.getTime(),
    answer: {
      conditions: referral.answer.conditions,
      appointment: appointmentFactsOf(referral.answer.appointment, names),
    },
  };
}

/** An appointment as the pages show it: how it takes place, in French, with the reception point of a visio. */
export function appointmentFactsOf(
  appointment: { at: string; mode: keyof typeof appointmentModeLabels; receptionPointId?: string | undefined } | null,
  names: ReadonlyMap<string, string>,
) {
  if (!appointment) return null;
  const place = appointment.receptionPointId ? names.get(appointment.receptionPointId) : undefined;
  return { at: appointment.at, mode: place ? `En visio depuis ${place}` : appointmentModeLabels[appointment.mode] };
}

/** The reception-point choice of an appointment form. */
export function receptionPointOptionsOf(points: ReadonlyArray<{ id: string; name: string }>, selected: string | undefined) {
  return points.map((point) => ({ id: point.id, name: point.name, selected: point.id === selected }));
}

export const declineOptions = codesOf(declineReasons).map((code) => ({ code, label: declineReasonLabels[code] ?? code }));
export const modeOptions = Object.entries(appointmentModeLabels).map(([code, label]) => ({ code, label }));

/**
 * One answer from a posted form, or the French message of each missing field. Date and time of an
 * appointment are typed in Paris time.
 */
export function answerOfForm(
  body: Record<string, unknown>,
): { ok: true; answer: PartnerAnswer } | { ok: false; type: string; errors: FieldErrors } {
  const type = textOf(body.type);
  const errors: FieldErrors = {};
  switch (type) {
    case 'MARK_SEEN':
    case 'START_STUDY':
    case 'START_SUPPORT':
    case 'REPORT_NO_SHOW':
    case 'ABANDON':
      return { ok: true, answer: { type } };
    case 'ACCEPT': {
      const conditions = textOf(body.conditions);
      if (conditions.length > 2000)
        return { ok: false, type, errors: { conditions: 'Les conditions dépassent 2 000 caractères.' } };
      return { ok: true, answer: conditions ? { type, conditions } : { type } };
    }
    case 'DECLINE': {
      const reason = z.enum(codesOf(declineReasons)).safeParse(textOf(body.motif));
      if (!reason.success) return { ok: false, type, errors: { motif: 'Choisissez le motif du refus.' } };
      return { ok: true, answer: { type, reason: reason.data } };
    }
    case 'REDIRECT': {
      const organisationId = textOf(body.structure);
      if (organisationId && !z.uuid().safeParse(organisationId).success) {
        return { ok: false, type, errors: { structure: 'Choisissez une structure de la liste.' } };
      }
      return { ok: true, answer: organisationId ? { type, suggestedOrganisationId: organisationId } : { type } };
    }
    case 'SET_APPOINTMENT': {
      const at = parisInstantOf(textOf(body.date), textOf(body.heure));
      const mode = z.enum(['in_person', 'phone', 'visio']).safeParse(textOf(body.mode));
      const receptionPoint = z.uuid().safeParse(textOf(body.pointAccueil));
      if (!at) errors.date = 'Saisissez la date et l’heure du rendez-vous.';
      if (!mode.success) errors.mode = 'Choisissez comment se tient le rendez-vous.';
      if (mode.success && mode.data === 'visio' && !receptionPoint.success) {
        errors.pointAccueil = 'Un rendez-vous en visio se tient dans un point d’accueil : choisissez lequel.';
      }
      if (!at || !mode.success || errors.pointAccueil) return { ok: false, type, errors };
      return {
        ok: true,
        answer: {
          type,
          at: at.toISOString(),
          mode: mode.data,
          ...(mode.data === 'visio' && receptionPoint.success ? { receptionPointId: receptionPoint.data } : {}),
        },
      };
    }
    case 'COMPLETE': {
      const outcome = z.enum(codesOf(referralOutcomes)).safeParse(textOf(body.issue));
      if (!outcome.success) return { ok: false, type, errors: { issue: 'Choisissez l’issue de l’accompagnement.' } };
      return { ok: true, answer: { type, outcome: outcome.data } };
    }
    default:
      throw new AppError('validation_failed', 'Cette réponse n’existe pas. Rechargez la page et recommencez.');
  }
}

export function answerSuccessMessage(type: string): string {
  switch (type) {
    case 'ACCEPT':
      return 'Orientation acceptée. Fixez le rendez-vous quand il est connu.';
    case 'DECLINE':
      return 'Refus enregistré : la structure qui vous a orienté la personne en est informée.';
    case 'SET_APPOINTMENT':
      return 'Rendez-vous enregistré : la structure qui vous a orienté la personne le voit.';
    case 'REDIRECT':
      return 'Réorientation enregistrée : l’orientation est close, et une nouvelle est proposée à la structure d’origine.';
    default:
      return `Enregistré : ${(answerLabels[type] ?? type).toLowerCase()}.`;
  }
}
/** Same answer for an unknown referral, another organisation's, a closed one and a withdrawn consent. */
export const partnerReferralNotFound = () =>
  new AppError(
    'not_found',
    'Cette orientation n’est pas accessible : elle est close ou annulée, le consentement de la personne ne couvre plus votre structure, ou elle n’existe pas.',
  );

/** Where the form shows an answer the server refused: the field of the form behind the API's field. */
const formFieldOfAnswerField: Record<string, string> = {
  'answer.at': 'date',
  'answer.receptionPointId': 'pointAccueil',
  'answer.suggestedOrganisationId': 'structure',
};

export function formErrorsOfRefusedAnswer(error: AppError): FieldErrors {
  const field = error.details.errors?.[0]?.field ?? '';
  return { [formFieldOfAnswerField[field] ?? 'structure']: error.message };
}
