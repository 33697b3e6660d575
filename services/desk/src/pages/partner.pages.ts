import { referralPurposes } from '@parcours/db';
import { EngineError } from '@parcours/engine';
import { codesOf, declineReasons, referralOutcomes, referralStatuses } from '@parcours/journey';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { DeskCall } from '../desk-call.ts';
import { AppError } from '../errors/app-error.ts';
import { answerReferral } from '../referrals/answer-referral.ts';
import { getPartnerReferral } from '../referrals/get-partner-referral.ts';
import { listPartnerInbox } from '../referrals/list-partner-inbox.ts';
import type { PartnerAnswer, PartnerReferral } from '../referrals/referral.schemas.ts';
import type { FieldErrors } from './form-errors.ts';
import { channelLabels, stageLabels } from './labels.ts';
import { callerOf, deskCallOf, type PagesDependencies, renderPage, setFlash } from './page-context.ts';
import { organisationNamesOf, receptionPointsNear, territoryOrganisationsOf, textOf } from './sharing-context.ts';
import {
  answerLabels,
  appointmentModeLabels,
  dataCategoryLabels,
  declineReasonLabels,
  domainLabel,
  needLabel,
  parisInstantOf,
  referralOutcomeLabels,
  referralPurposeLabels,
  referralStatusBadge,
  referralStatusLabels,
} from './sharing-labels.ts';
import { parisTodayOf } from './view-engine.ts';

const referralIdParam = z.object({ referralId: z.uuid() });
const inboxQuery = z.object({
  portee: z.enum(['open', 'closed', 'all']).catch('open'),
  statut: z.enum(referralStatuses).optional().catch(undefined),
  finalite: z.enum(referralPurposes).optional().catch(undefined),
  retard: z.enum(['oui']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

/** Same answer for an unknown referral, another organisation's, a closed one and a withdrawn consent. */
export const partnerReferralNotFound = () =>
  new AppError(
    'not_found',
    'Cette orientation n’est pas accessible : elle est close ou annulée, le consentement de la personne ne couvre plus votre structure, ou elle n’existe pas.',
  );

/** Answers after which the referral is closed (and so no longer readable by the partner). */
const closingAnswers = new Set(['DECLINE', 'REDIRECT', 'COMPLETE', 'REPORT_NO_SHOW', 'ABANDON']);

const scopeLabels = { open: 'En cours', closed: 'Closes', all: 'Toutes' } as const;
const pageSize = 20;

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

interface AnswerError {
  type: string;
  errors: FieldErrors;
  values: Record<string, string>;
}

async function renderPartnerReferral(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  call: DeskCall,
  referralId: string,
  input: { error: AnswerError | null; status?: number },
): Promise<void> {
  const read = await getPartnerReferral(deps.db, referralId, call);
  if (!read) throw partnerReferralNotFound();
  const receptionPoints = await receptionPointsNear(deps.db, read.referral.fromOrganisationId);
  const names = await organisationNamesOf(deps.db, [
    read.referral.fromOrganisationId,
    ...(read.referral.answer.appointment?.receptionPointId ? [read.referral.answer.appointment.receptionPointId] : []),
  ]);
  const allowed = new Set(read.referral.allowedEvents);
  const error = input.error;
  const values = error?.values ?? {};
  const territory = allowed.has('REDIRECT') ? await territoryOrganisationsOf(deps.db, call.agent.territoryId) : [];
  const now = call.clock.now();
  await renderPage(
    deps,
    req,
    res,
    'partner-referral',
    {
      title: error ? 'Erreur — orientation reçue' : 'Orientation reçue',
      referral: partnerReferralFactsOf(read, names.get(read.referral.fromOrganisationId) ?? '', now, names),
      answerAction: `/partenaire/orientations/${referralId}/reponses`,
      data: partnerDataModelOf(read),
      summary: error
        ? Object.entries(error.errors).map(([field, message]) => ({
            anchor: `reponse-${error.type}-${field === 'mode' ? 'mode-in_person' : field}`,
            message,
          }))
        : [],
      simple: ['MARK_SEEN', 'START_STUDY', 'START_SUPPORT', 'REPORT_NO_SHOW', 'ABANDON']
        .filter((type) => allowed.has(type))
        .map((type) => ({ type, label: answerLabels[type], secondary: type === 'REPORT_NO_SHOW' || type === 'ABANDON' })),
      accept: allowed.has('ACCEPT')
        ? { conditions: values.conditions ?? '', error: error?.type === 'ACCEPT' ? (error.errors.conditions ?? null) : null }
        : null,
      decline: allowed.has('DECLINE')
        ? {
            reasons: declineOptions.map((option) => ({ ...option, selected: values.motif === option.code })),
            error: error?.type === 'DECLINE' ? (error.errors.motif ?? null) : null,
          }
        : null,
      redirect: allowed.has('REDIRECT')
        ? {
            organisations: territory
              .filter((organisation) => organisation.id !== call.agent.organisationId)
              .map((organisation) => ({
                id: organisation.id,
                name: organisation.name,
                selected: values.structure === organisation.id,
              })),
            error: error?.type === 'REDIRECT' ? (error.errors.structure ?? null) : null,
          }
        : null,
      appointment: allowed.has('SET_APPOINTMENT')
        ? {
            date: values.date ?? '',
            time: values.heure ?? '',
            today: parisTodayOf(now),
            modes: modeOptions.map((option) => ({ ...option, checked: values.mode === option.code })),
            receptionPoints: receptionPointOptionsOf(receptionPoints, values.pointAccueil),
            dateError: error?.type === 'SET_APPOINTMENT' ? (error.errors.date ?? null) : null,
            modeError: error?.type === 'SET_APPOINTMENT' ? (error.errors.mode ?? null) : null,
            pointError: error?.type === 'SET_APPOINTMENT' ? (error.errors.pointAccueil ?? null) : null,
          }
        : null,
      complete: allowed.has('COMPLETE')
        ? {
            outcomes: Object.entries(referralOutcomeLabels).map(([code, label]) => ({
              code,
              label,
              selected: values.issue === code,
            })),
            error: error?.type === 'COMPLETE' ? (error.errors.issue ?? null) : null,
          }
        : null,
      finished: allowed.size === 0,
    },
    { nav: 'partner', status: input.status },
  );
}

/**
 * The partner's side, for agents of the recipient organisation: the inbox (new referrals first, due
 * dates, filters by codes) and one referral as the policy lets them see it now (covered categories only),
 * with the answer forms its state allows.
 */
export function mountPartnerPages(router: Router, deps: PagesDependencies): void {
  router.get('/partenaire/orientations', async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'partner.inbox' }, req, res);
    const call = deskCallOf(deps, agent, res);
    const query = inboxQuery.parse(req.query);
    const inbox = await listPartnerInbox(
      deps.db,
      {
        scope: query.portee,
        ...(query.statut ? { status: query.statut } : {}),
        ...(query.finalite ? { purpose: query.finalite } : {}),
        ...(query.retard ? { overdue: 'true' as const } : {}),
        page: query.page,
        pageSize,
      },
      call,
    );
    const names = await organisationNamesOf(
      deps.db,
      inbox.items.map((item) => item.fromOrganisationId),
    );
    const now = call.clock.now();
    const pageLink = (page: number) => {
      const params = new URLSearchParams();
      params.set('portee', query.portee);
      if (query.statut) params.set('statut', query.statut);
      if (query.finalite) params.set('finalite', query.finalite);
      if (query.retard) params.set('retard', 'oui');
      params.set('page', String(page));
      return `/partenaire/orientations?${params.toString()}`;
    };
    const lastPage = Math.max(1, Math.ceil(inbox.total / pageSize));
    await renderPage(
      deps,
      req,
      res,
      'partner-inbox',
      {
        title: 'Orientations reçues',
        total: inbox.total,
        items: inbox.items.map((item) => ({
          id: item.id,
          sender: names.get(item.fromOrganisationId) ?? '',
          purpose: referralPurposeLabels[item.purpose],
          status: referralStatusLabels[item.status],
          badge: referralStatusBadge(item.status),
          isNew: item.status === 'sent',
          sentAt: item.sentAt,
          dueAt: item.dueAt,
          overdue: item.dueAt !== null && new Date(item.dueAt).getTime() <= now.getTime(),
          accessible: item.accessible,
        })),
        filters: {
          scopes: Object.entries(scopeLabels).map(([value, label]) => ({ value, label, selected: query.portee === value })),
          statuses: referralStatuses
            .filter((status) => status !== 'draft')
            .map((value) => ({ value, label: referralStatusLabels[value], selected: query.statut === value })),
          purposes: referralPurposes.map((value) => ({
            value,
            label: referralPurposeLabels[value],
            selected: query.finalite === value,
          })),
          overdue: Boolean(query.retard),
          filtered: Boolean(query.statut || query.finalite || query.retard || query.portee !== 'open'),
        },
        pagination:
          lastPage > 1
            ? {
                page: query.page,
                lastPage,
                previous: query.page > 1 ? pageLink(query.page - 1) : null,
                next: query.page < lastPage ? pageLink(query.page + 1) : null,
              }
            : null,
      },
      { nav: 'partner' },
    );
  });

  router.get('/partenaire/orientations/:referralId', async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'partner.case_read' }, req, res);
    const params = referralIdParam.safeParse(req.params);
    if (!params.success) throw partnerReferralNotFound();
    await renderPartnerReferral(deps, req, res, deskCallOf(deps, agent, res), params.data.referralId, { error: null });
  });

  router.post('/partenaire/orientations/:referralId/reponses', async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'referral.answer' }, req, res);
    const params = referralIdParam.safeParse(req.params);
    if (!params.success) throw partnerReferralNotFound();
    const referralId = params.data.referralId;
    const call = deskCallOf(deps, agent, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const revision = z.coerce.number().int().min(0).safeParse(textOf(body.expectedRevision));
    if (!revision.success)
      throw new AppError('validation_failed', 'Le formulaire est incomplet. Rechargez la page et recommencez.');
    const parsed = answerOfForm(body);
    if (!parsed.ok) {
      const values = Object.fromEntries(Object.entries(body).map(([key, value]) => [key, textOf(value)]));
      await renderPartnerReferral(deps, req, res, call, referralId, {
        error: { type: parsed.type, errors: parsed.errors, values },
        status: 400,
      });
      return;
    }
    try {
      await answerReferral(deps.db, referralId, { expectedRevision: revision.data, answer: parsed.answer }, call);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'referral_not_found') throw partnerReferralNotFound();
      const code = error instanceof EngineError || error instanceof AppError ? error.code : null;
      if (code === 'revision_conflict' || code === 'event_not_allowed') {
        setFlash(req, {
          kind: 'warning',
          message: 'Votre réponse n’a pas été enregistrée : l’orientation a changé entre-temps. Voici son état actuel.',
        });
        res.redirect(303, `/partenaire/orientations/${referralId}`);
        return;
      }
      if (error instanceof AppError && error.code === 'validation_failed') {
        await renderPartnerReferral(deps, req, res, call, referralId, {
          error: { type: parsed.answer.type, errors: { structure: error.message }, values: {} },
          status: 400,
        });
        return;
      }
      throw error;
    }
    setFlash(req, { kind: 'success', message: answerSuccessMessage(parsed.answer.type) });
    // A final answer closes the referral: the partner's access ends with it, back to the inbox.
    res.redirect(
      303,
      closingAnswers.has(parsed.answer.type) ? '/partenaire/orientations' : `/partenaire/orientations/${referralId}`,
    );
  });
}
