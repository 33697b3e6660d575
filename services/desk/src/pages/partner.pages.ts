import { EngineError } from '@parcours/engine';
import { referralStatuses } from '@parcours/journey';
import { type ReferralMailMode, referralMailModes, referralPurposes } from '@parcours/vocabulary';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { getReferralMailPreference, setReferralMailPreference } from '../features/agents/referral-mail-preference.ts';
import { getOrganisationNames } from '../features/organisations/get-organisation-names.ts';
import { listReceptionPoints } from '../features/organisations/list-reception-points.ts';
import { listTerritoryOrganisations } from '../features/organisations/list-territory-organisations.ts';
import { answerReferral } from '../features/referrals/answer-referral.ts';
import { getPartnerReferral } from '../features/referrals/get-partner-referral.ts';
import { listPartnerInbox } from '../features/referrals/list-partner-inbox.ts';
import { AppError } from '../http/app-error.ts';
import type { DeskCall } from '../http/desk-call.ts';
import { holdsPermission } from '../policy/access-policy.ts';
import type { FieldErrors } from './form-errors.ts';
import { type PagesDependencies, renderPage, setFlash } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import {
  answerOfForm,
  answerSuccessMessage,
  declineOptions,
  formErrorsOfRefusedAnswer,
  modeOptions,
  partnerDataModelOf,
  partnerReferralFactsOf,
  partnerReferralNotFound,
  receptionPointOptionsOf,
} from './partner-answer.model.ts';
import { textOf } from './sharing-context.ts';
import {
  answerLabels,
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

/** Answers after which the referral is closed (and so no longer readable by the partner). */
const closingAnswers = new Set(['DECLINE', 'REDIRECT', 'COMPLETE', 'REPORT_NO_SHOW', 'ABANDON']);

const scopeLabels = { open: 'En cours', closed: 'Closes', all: 'Toutes' } as const;
const pageSize = 20;

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
  const receptionPoints = await listReceptionPoints(deps.db, read.referral.fromOrganisationId);
  const names = await getOrganisationNames(deps.db, [
    read.referral.fromOrganisationId,
    ...(read.referral.answer.appointment?.receptionPointId ? [read.referral.answer.appointment.receptionPointId] : []),
  ]);
  const allowed = new Set(read.referral.allowedEvents);
  const error = input.error;
  const values = error?.values ?? {};
  const territory = allowed.has('REDIRECT') ? await listTerritoryOrganisations(deps.db, call.agent.territoryId) : [];
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
export const partnerInboxPage = definePage({
  method: 'get',
  path: '/partenaire/orientations',
  access: { kind: 'acting', permission: 'partner.inbox' },
  handle: async ({ req, res, deps, call }) => {
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
    const names = await getOrganisationNames(
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
    const referralMail = holdsPermission(call.agent.roles, 'referral_mail.choose')
      ? await getReferralMailPreference(deps.db, call)
      : null;
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
        referralMail: referralMail
          ? {
              options: referralMailModes.map((value) => ({
                value,
                ...referralMailLabels[value],
                selected: value === referralMail,
              })),
            }
          : null,
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
  },
});

/** What the partner typed, shown again with the refusal. */
const formValuesOf = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).map(([key, value]) => [key, textOf(value)]));

const referralMailLabels: Record<ReferralMailMode, { label: string; hint: string }> = {
  each: { label: 'Un courriel par orientation', hint: 'Dès qu’une orientation vous est adressée.' },
  digest: {
    label: 'Un récapitulatif par demi-journée',
    hint: 'À 8 h et à 13 h, la liste des orientations arrivées depuis le précédent (rien s’il n’y en a pas).',
  },
};

/** The partner agent's choice of mails about new referrals (its own membership's setting). */
export const referralMailPage = definePage({
  method: 'post',
  path: '/partenaire/courriels',
  access: { kind: 'acting', permission: 'referral_mail.choose' },
  handle: async ({ req, res, deps, call }) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const mode = z.enum(referralMailModes).safeParse(textOf(body.mode));
    if (!mode.success) {
      throw new AppError('validation_failed', 'Choisissez un courriel par orientation ou un récapitulatif par demi-journée.');
    }
    await setReferralMailPreference(deps.db, mode.data, call);
    setFlash(req, {
      kind: 'success',
      message:
        mode.data === 'digest'
          ? 'C’est noté : vous recevrez un récapitulatif à 8 h et à 13 h quand des orientations sont arrivées.'
          : 'C’est noté : vous recevrez un courriel pour chaque orientation.',
    });
    res.redirect(303, '/partenaire/orientations#courriels');
  },
});

export const partnerReferralPage = definePage({
  method: 'get',
  path: '/partenaire/orientations/:referralId',
  access: { kind: 'acting', permission: 'partner.case_read' },
  handle: async ({ req, res, deps, call }) => {
    const params = referralIdParam.safeParse(req.params);
    if (!params.success) throw partnerReferralNotFound();
    await renderPartnerReferral(deps, req, res, call, params.data.referralId, { error: null });
  },
});

export const answerReferralPage = definePage({
  method: 'post',
  path: '/partenaire/orientations/:referralId/reponses',
  access: { kind: 'acting', permission: 'referral.answer' },
  handle: async ({ req, res, deps, call }) => {
    const params = referralIdParam.safeParse(req.params);
    if (!params.success) throw partnerReferralNotFound();
    const referralId = params.data.referralId;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const revision = z.coerce.number().int().min(0).safeParse(textOf(body.expectedRevision));
    if (!revision.success)
      throw new AppError('validation_failed', 'Le formulaire est incomplet. Rechargez la page et recommencez.');
    const parsed = answerOfForm(body);
    if (!parsed.ok) {
      await renderPartnerReferral(deps, req, res, call, referralId, {
        error: { type: parsed.type, errors: parsed.errors, values: formValuesOf(body) },
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
          error: { type: parsed.answer.type, errors: formErrorsOfRefusedAnswer(error), values: formValuesOf(body) },
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
  },
});

export const partnerPages: AnyPageRoute[] = [partnerInboxPage, partnerReferralPage, answerReferralPage, referralMailPage];
