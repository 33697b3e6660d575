import { EngineError } from '@parcours/engine';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { getOrganisationNames } from '../features/organisations/get-organisation-names.ts';
import { listReceptionPoints } from '../features/organisations/list-reception-points.ts';
import { partnerLinkToken } from '../features/partner-links/partner-link.schemas.ts';
import { PartnerLinkRefused } from '../features/partner-links/partner-link-access.ts';
import { answerByPartnerLink, getReferralByPartnerLink, type LinkCall } from '../features/partner-links/use-partner-link.ts';
import type { PartnerReferral } from '../features/referrals/referral.schemas.ts';
import { AppError } from '../http/app-error.ts';
import type { FieldErrors } from './form-errors.ts';
import { type PagesDependencies, renderPage, requestIdOf } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import {
  answerOfForm,
  answerSuccessMessage,
  declineOptions,
  formErrorsOfRefusedAnswer,
  modeOptions,
  partnerDataModelOf,
  partnerReferralFactsOf,
  receptionPointOptionsOf,
} from './partner-answer.model.ts';
import { textOf } from './sharing-context.ts';
import { parisTodayOf } from './view-engine.ts';

/** Without an account, a partner accepts, declines or sets an appointment: nothing else. */
const linkAnswers = new Set(['ACCEPT', 'DECLINE', 'SET_APPOINTMENT']);

interface LinkPageMessage {
  kind: 'success' | 'error';
  title: string;
  text: string;
}

async function renderLinkForm(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  scriptUrl: string,
  input: { message: LinkPageMessage | null; status?: number },
): Promise<void> {
  await renderPage(
    deps,
    req,
    res,
    'partner-link',
    {
      title: input.message?.kind === 'error' ? 'Lien refusé — répondre à une orientation' : 'Répondre à une orientation',
      scriptUrl,
      message: input.message,
    },
    { status: input.status },
  );
}

async function renderLinkReferral(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  code: string,
  read: PartnerReferral,
  input: {
    success: string | null;
    error: { type: string; errors: FieldErrors; values: Record<string, string> } | null;
    status?: number;
  },
): Promise<void> {
  const receptionPoints = await listReceptionPoints(deps.db, read.referral.fromOrganisationId);
  const names = await getOrganisationNames(deps.db, [
    read.referral.fromOrganisationId,
    read.referral.toOrganisationId,
    ...(read.referral.answer.appointment?.receptionPointId ? [read.referral.answer.appointment.receptionPointId] : []),
  ]);
  const allowed = new Set(read.referral.allowedEvents.filter((type) => linkAnswers.has(type)));
  const error = input.error;
  const values = error?.values ?? {};
  await renderPage(
    deps,
    req,
    res,
    'partner-link-referral',
    {
      title: error ? 'Erreur — orientation reçue' : 'Orientation reçue',
      recipient: names.get(read.referral.toOrganisationId) ?? '',
      referral: partnerReferralFactsOf(read, names.get(read.referral.fromOrganisationId) ?? '', deps.clock.now(), names),
      data: partnerDataModelOf(read),
      code,
      success: input.success,
      summary: error
        ? Object.entries(error.errors).map(([field, message]) => ({
            anchor: `reponse-${error.type}-${field === 'mode' ? 'mode-in_person' : field}`,
            message,
          }))
        : [],
      simple: [],
      accept: allowed.has('ACCEPT')
        ? { conditions: values.conditions ?? '', error: error?.type === 'ACCEPT' ? (error.errors.conditions ?? null) : null }
        : null,
      decline: allowed.has('DECLINE')
        ? {
            reasons: declineOptions.map((option) => ({ ...option, selected: values.motif === option.code })),
            error: error?.type === 'DECLINE' ? (error.errors.motif ?? null) : null,
          }
        : null,
      appointment: allowed.has('SET_APPOINTMENT')
        ? {
            date: values.date ?? '',
            time: values.heure ?? '',
            today: parisTodayOf(deps.clock.now()),
            modes: modeOptions.map((option) => ({ ...option, checked: values.mode === option.code })),
            receptionPoints: receptionPointOptionsOf(receptionPoints, values.pointAccueil),
            dateError: error?.type === 'SET_APPOINTMENT' ? (error.errors.date ?? null) : null,
            modeError: error?.type === 'SET_APPOINTMENT' ? (error.errors.mode ?? null) : null,
            pointError: error?.type === 'SET_APPOINTMENT' ? (error.errors.pointAccueil ?? null) : null,
          }
        : null,
      redirect: null,
      complete: null,
      finished: allowed.size === 0,
    },
    { status: input.status },
  );
}

const refusalOf = (error: unknown): LinkPageMessage | null =>
  error instanceof PartnerLinkRefused || (error instanceof AppError && error.code === 'partner_link_refused')
    ? { kind: 'error', title: 'Ce lien ne donne pas accès à l’orientation', text: error.message }
    : null;

/**
 * The page of a partner without an account, behind `/partenaire/lien#<code>`. The code is in the URL's
 * fragment, which a browser never sends: a small script (a file, the CSP allows no inline script) puts it
 * in the form and posts it, so it travels in request bodies only and never in a logged URL. Without
 * JavaScript the partner pastes the code into the same form. Every answer page is rendered on the POST
 * (no redirect): a redirect would have to carry the code in a URL or keep it in a session.
 */
const linkCall = (deps: PagesDependencies, res: Response): LinkCall => ({
  secret: deps.partnerLinkSecret,
  clock: deps.clock,
  requestId: requestIdOf(res),
});

export const partnerLinkFormPage = definePage({
  method: 'get',
  path: '/partenaire/lien',
  access: { kind: 'public' },
  handle: async ({ req, res, deps }) => {
    await renderLinkForm(deps, req, res, deps.assets.partnerLinkJs, { message: null });
  },
});

export const partnerLinkReferralPage = definePage({
  method: 'post',
  path: '/partenaire/lien',
  access: { kind: 'public' },
  handle: async ({ req, res, deps }) => {
    const code = partnerLinkToken.safeParse(textOf((req.body as Record<string, unknown> | undefined)?.code));
    if (!code.success) {
      await renderLinkForm(deps, req, res, deps.assets.partnerLinkJs, {
        message: {
          kind: 'error',
          title: 'Code incomplet',
          text: 'Ce code n’est pas complet : copiez tout ce qui suit le signe « # » dans l’adresse du lien.',
        },
        status: 400,
      });
      return;
    }
    let read: PartnerReferral;
    try {
      read = await getReferralByPartnerLink(deps.db, code.data, linkCall(deps, res));
    } catch (error) {
      const message = refusalOf(error);
      if (!message) throw error;
      await renderLinkForm(deps, req, res, deps.assets.partnerLinkJs, { message, status: 403 });
      return;
    }
    await renderLinkReferral(deps, req, res, code.data, read, { success: null, error: null });
  },
});

export const answerByPartnerLinkPage = definePage({
  method: 'post',
  path: '/partenaire/lien/reponse',
  access: { kind: 'public' },
  handle: async ({ req, res, deps }) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const code = partnerLinkToken.safeParse(textOf(body.code));
    const revision = z.coerce.number().int().min(0).safeParse(textOf(body.expectedRevision));
    if (!code.success || !revision.success || !linkAnswers.has(textOf(body.type))) {
      throw new AppError('validation_failed', 'Le formulaire est incomplet. Rouvrez le lien et recommencez.');
    }
    const parsed = answerOfForm(body);
    const reread = () => getReferralByPartnerLink(deps.db, code.data, linkCall(deps, res));
    try {
      if (!parsed.ok) {
        const values = Object.fromEntries(Object.entries(body).map(([key, value]) => [key, textOf(value)]));
        await renderLinkReferral(deps, req, res, code.data, await reread(), {
          success: null,
          error: { type: parsed.type, errors: parsed.errors, values },
          status: 400,
        });
        return;
      }
      if (parsed.answer.type !== 'ACCEPT' && parsed.answer.type !== 'DECLINE' && parsed.answer.type !== 'SET_APPOINTMENT') {
        throw new AppError('validation_failed', 'Cette réponse n’est pas possible par un lien.');
      }
      try {
        await answerByPartnerLink(
          deps.db,
          { token: code.data, expectedRevision: revision.data, answer: parsed.answer },
          linkCall(deps, res),
        );
      } catch (error) {
        if (error instanceof AppError && error.code === 'validation_failed') {
          const values = Object.fromEntries(Object.entries(body).map(([key, value]) => [key, textOf(value)]));
          await renderLinkReferral(deps, req, res, code.data, await reread(), {
            success: null,
            error: { type: parsed.answer.type, errors: formErrorsOfRefusedAnswer(error), values },
            status: 400,
          });
          return;
        }
        const stale = error instanceof AppError || error instanceof EngineError ? error.code : null;
        if (stale !== 'revision_conflict' && stale !== 'event_not_allowed') throw error;
        await renderLinkReferral(deps, req, res, code.data, await reread(), {
          success: 'Votre réponse n’a pas été enregistrée : l’orientation a changé entre-temps. Voici son état actuel.',
          error: null,
          status: 409,
        });
        return;
      }
      const done = answerSuccessMessage(parsed.answer.type);
      if (parsed.answer.type === 'ACCEPT') {
        await renderLinkReferral(deps, req, res, code.data, await reread(), { success: done, error: null });
        return;
      }
      // A refusal or an appointment uses the link: it gives no access any more.
      await renderLinkForm(deps, req, res, deps.assets.partnerLinkJs, {
        message: {
          kind: 'success',
          title: 'Réponse enregistrée',
          text: `${done} Ce lien a servi : il ne donne plus accès au dossier.`,
        },
      });
    } catch (error) {
      const message = refusalOf(error);
      if (!message) throw error;
      await renderLinkForm(deps, req, res, deps.assets.partnerLinkJs, { message, status: 403 });
    }
  },
});

export const partnerLinkPages: AnyPageRoute[] = [partnerLinkFormPage, partnerLinkReferralPage, answerByPartnerLinkPage];
