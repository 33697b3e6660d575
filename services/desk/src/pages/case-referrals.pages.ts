import { EngineError } from '@parcours/engine';
import { type DataCategory, dataCategories } from '@parcours/vocabulary';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { getCase } from '../features/cases/get-case.ts';
import type { ConsentView } from '../features/consents/consent.schemas.ts';
import { listPersonConsents } from '../features/consents/list-person-consents.ts';
import type { DirectoryCache } from '../features/directory/directory-cache.ts';
import { getOrganisationNames } from '../features/organisations/get-organisation-names.ts';
import { listTerritoryOrganisations } from '../features/organisations/list-territory-organisations.ts';
import { issuePartnerLink } from '../features/partner-links/issue-partner-link.ts';
import { cancelReferral } from '../features/referrals/cancel-referral.ts';
import { getLastReferentHandover } from '../features/referrals/get-last-referent-handover.ts';
import { handOverReferent } from '../features/referrals/hand-over-referent.ts';
import { listCaseReferrals } from '../features/referrals/list-case-referrals.ts';
import type { ReferralView } from '../features/referrals/referral.schemas.ts';
import { sendReferral } from '../features/referrals/send-referral.ts';
import { AppError } from '../http/app-error.ts';
import type { DeskCall } from '../http/desk-call.ts';
import { caseNotFound, referralNotFound } from '../http/not-found.ts';
import { isActiveReferralStatus } from '../policy/access-policy.ts';
import { type PagesDependencies, renderPage, setFlash } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { appointmentFactsOf } from './partner-answer.model.ts';
import { listOf, primaryOf, textOf } from './sharing-context.ts';
import {
  dataCategoryLabels,
  declineReasonLabels,
  referralOutcomeLabels,
  referralPurposeLabels,
  referralStatusBadge,
  referralStatusLabels,
} from './sharing-labels.ts';
import { scopeQueryOf } from './sharing-scope.model.ts';

const caseIdParam = z.object({ caseId: z.uuid() });
const referralIdParam = z.object({ referralId: z.uuid() });

/** What the consent does not cover, from the 422 of a refused sending: shown on that referral. */
interface NotCovered {
  referralId: string;
  recipient: boolean;
  purpose: boolean;
  categories: DataCategory[];
  opposition: boolean;
}

interface HandoverError {
  message: string;
  organisationId: string;
  note: string;
  consentMissing: boolean;
}

async function renderCaseReferrals(
  deps: PagesDependencies,
  directories: DirectoryCache,
  req: Request,
  res: Response,
  call: DeskCall,
  caseId: string,
  input: { notCovered?: NotCovered; handoverError?: HandoverError; status?: number } = {},
): Promise<void> {
  const detail = await getCase(deps.db, caseId, call);
  if (!detail) throw caseNotFound();
  const referrals = await listCaseReferrals(deps.db, caseId, call);
  if (!referrals) throw caseNotFound();
  const directory = await directories.directoryOf(call.agent.territoryId);
  const territory = await listTerritoryOrganisations(deps.db, call.agent.territoryId);
  const names = new Map(territory.map((organisation) => [organisation.id, organisation.name]));
  const usesParcours = new Map(territory.map((organisation) => [organisation.id, organisation.usesParcours]));
  const more = await getOrganisationNames(deps.db, [detail.entryOrganisationId, detail.referentOrganisationId]);
  for (const [id, name] of more) names.set(id, name);
  const lastHandover = await getLastReferentHandover(deps.db, caseId, call);
  const personId = primaryOf(detail).personId;
  const consents = referrals.length > 0 && personId ? ((await listPersonConsents(deps.db, personId, call)) ?? []) : [];
  const now = call.clock.now();
  const notCovered = input.notCovered;
  const items = [...referrals].reverse().map((referral: ReferralView) => {
    const refused = notCovered?.referralId === referral.id ? notCovered : null;
    const reducible = refused && !refused.opposition && !refused.recipient && !refused.purpose;
    const remaining = referral.sharedCategories.filter((category) => !refused?.categories.includes(category));
    const organisationName = names.get(referral.toOrganisationId) ?? 'Structure inconnue';
    return {
      id: referral.id,
      revision: referral.revision,
      organisationName,
      serviceName: referral.toServiceId
        ? (directory.index.byId.get(referral.toServiceId)?.service.name ?? referral.toServiceId)
        : null,
      purpose: referralPurposeLabels[referral.purpose],
      categories: referral.sharedCategories.map((category) => dataCategoryLabels[category]),
      status: referralStatusLabels[referral.status],
      badge: referralStatusBadge(referral.status),
      draft: referral.status === 'draft',
      sentAt: referral.sentAt,
      dueAt: referral.dueAt,
      overdue: referral.dueAt !== null && new Date(referral.dueAt).getTime() <= now.getTime(),
      closedAt: referral.closedAt,
      answer: {
        conditions: referral.answer.conditions,
        declineReason: referral.answer.declineReason
          ? (declineReasonLabels[referral.answer.declineReason] ?? referral.answer.declineReason)
          : null,
        suggestedOrganisation: referral.answer.suggestedOrganisationId
          ? (names.get(referral.answer.suggestedOrganisationId) ?? 'une autre structure')
          : null,
        appointment: appointmentFactsOf(referral.answer.appointment, names),
        outcome: referral.answer.outcome ? (referralOutcomeLabels[referral.answer.outcome] ?? referral.answer.outcome) : null,
      },
      redirected: referral.redirectedFromId !== null,
      canSend: referral.allowedEvents.includes('SEND'),
      canCancel: referral.allowedEvents.includes('CANCEL'),
      canLink: !referral.closedAt && referral.status !== 'draft',
      withoutAccount: usesParcours.get(referral.toOrganisationId) === false,
      // An active referral the person's consents no longer cover: its partner has lost access.
      consentLost: isActiveReferralStatus(referral.status) && !coveredBy(consents, referral),
      sendCategories: sendCategoriesOf(referral, consents, refused && reducible ? refused.categories : []),
      refused: refused
        ? {
            opposition: refused.opposition,
            recipient: refused.recipient ? organisationName : null,
            purpose: refused.purpose ? referralPurposeLabels[referral.purpose] : null,
            categories: refused.categories.map((category) => dataCategoryLabels[category]),
            reducible: Boolean(reducible && remaining.length > 0),
            consentUrl: `/dossiers/${caseId}/consentements?${scopeQueryOf({
              recipients: [referral.toOrganisationId],
              purposes: [referral.purpose],
              categories: referral.sharedCategories,
            })}&retour=orientations#notice-titre`,
          }
        : null,
    };
  });
  const handover = input.handoverError;
  const mayHandOver = call.agent.roles.includes('referent') && detail.referentOrganisationId === call.agent.organisationId;
  await renderPage(
    deps,
    req,
    res,
    'case-referrals',
    {
      title: notCovered || handover ? 'Erreur — orientations et partage' : 'Orientations et partage',
      caseId,
      personName: primaryOf(detail).name,
      closed: detail.closed,
      items,
      referent: {
        organisation: names.get(detail.referentOrganisationId) ?? '',
        lastHandover: lastHandover
          ? { note: lastHandover.note, at: lastHandover.at, from: names.get(lastHandover.fromOrganisationId) ?? '' }
          : null,
      },
      handover:
        mayHandOver && !detail.closed
          ? {
              revision: detail.revision,
              organisations: territory
                .filter((organisation) => organisation.id !== detail.referentOrganisationId && organisation.usesParcours)
                .map((organisation) => ({
                  id: organisation.id,
                  name: organisation.name,
                  selected: handover?.organisationId === organisation.id,
                })),
              note: handover?.note ?? '',
              error: handover?.message ?? null,
              consentUrl:
                handover?.consentMissing && handover.organisationId
                  ? `/dossiers/${caseId}/consentements?${scopeQueryOf({
                      recipients: [handover.organisationId],
                      purposes: ['social_support'],
                      categories: ['identity', 'contact', 'situation_summary', 'assessment'],
                    })}&retour=orientations#notice-titre`
                  : null,
            }
          : null,
    },
    { status: input.status },
  );
}

/**
 * The categories a draft may share, every one offered: ticked, those of the draft (after a refusal a
 * reduction can fix, without what the consent does not cover); marked, those an active consent of the
 * person covers for this recipient and purpose. Health is offered like the others and refused at sending
 * unless consented.
 */
function sendCategoriesOf(referral: ReferralView, consents: readonly ConsentView[], refusedCategories: readonly DataCategory[]) {
  const covered = new Set(consentsNaming(consents, referral).flatMap((consent) => consent.categories));
  return dataCategories.map((category) => ({
    code: category,
    label: dataCategoryLabels[category],
    checked: referral.sharedCategories.includes(category) && !refusedCategories.includes(category),
    covered: covered.has(category),
    health: category === 'health',
  }));
}

/** The active consents naming the referral's recipient and purpose (no active opposition: else none). */
function consentsNaming(consents: readonly ConsentView[], referral: Pick<ReferralView, 'toOrganisationId' | 'purpose'>) {
  if (consents.some((consent) => consent.active && consent.decision === 'opposition')) return [];
  return consents.filter(
    (consent) =>
      consent.active &&
      consent.decision === 'consent' &&
      consent.recipientOrganisationIds.includes(referral.toOrganisationId) &&
      consent.purposes.includes(referral.purpose),
  );
}

/** An active consent still opens the referral to its recipient (names it and the purpose), as the policy decides. */
function coveredBy(consents: readonly ConsentView[], referral: ReferralView): boolean {
  return consentsNaming(consents, referral).length > 0;
}

const revisionOf = (value: unknown) => {
  const parsed = z.coerce.number().int().min(0).safeParse(textOf(value));
  if (!parsed.success) throw new AppError('validation_failed', 'Le formulaire est incomplet. Rechargez la page et recommencez.');
  return parsed.data;
};

/** The case a referral form came from (a hidden field); the use case still checks the referral itself. */
function caseOfForm(body: Record<string, unknown>): string {
  const parsed = z.uuid().safeParse(textOf(body.dossier));
  if (!parsed.success) throw referralNotFound();
  return parsed.data;
}

/** A stale or finished referral: the page says so and shows the referral as it is now. */
function isConflict(error: unknown): boolean {
  const code = error instanceof EngineError || error instanceof AppError ? error.code : null;
  return code === 'revision_conflict' || code === 'event_not_allowed';
}

/**
 * The case's referrals as the referrer sees them (status, deadlines, every answer of the partner),
 * sending a draft (a refusal shows exactly what the consent does not cover, and offers the reduction or
 * the consent), cancelling, a link for a partner without an account, and the référent handover.
 */
export const caseReferralsPage = definePage({
  method: 'get',
  path: '/dossiers/:caseId/orientations-partenaires',
  access: { kind: 'acting', permission: 'referral.read' },
  handle: async ({ req, res, deps, call }) => {
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw caseNotFound();
    await renderCaseReferrals(deps, deps.directory, req, res, call, params.data.caseId);
  },
});

export const sendReferralPage = definePage({
  method: 'post',
  path: '/orientations/:referralId/envoi',
  access: { kind: 'acting', permission: 'referral.send' },
  handle: async ({ req, res, deps, call }) => {
    const params = referralIdParam.safeParse(req.params);
    if (!params.success) throw referralNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const caseId = caseOfForm(body);
    const categories = dataCategories.filter((category) => listOf(body.categorie).includes(category));
    if (categories.length === 0) {
      setFlash(req, { kind: 'error', message: 'Cochez au moins une information à partager avant d’envoyer.' });
      res.redirect(303, `/dossiers/${caseId}/orientations-partenaires#orientation-${params.data.referralId}`);
      return;
    }
    try {
      await sendReferral(
        deps.db,
        params.data.referralId,
        { expectedRevision: revisionOf(body.expectedRevision), sharedCategories: categories },
        call,
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'consent_not_covering') {
        const missing = error.details.notCovered as Omit<NotCovered, 'referralId'> | undefined;
        await renderCaseReferrals(deps, deps.directory, req, res, call, caseId, {
          notCovered: {
            referralId: params.data.referralId,
            recipient: missing?.recipient ?? true,
            purpose: missing?.purpose ?? true,
            categories: missing?.categories ?? [],
            opposition: missing?.opposition ?? false,
          },
          status: 422,
        });
        return;
      }
      if (isConflict(error)) {
        // Not allowed: the engine says why (e.g. the assessment is not completed yet).
        const message =
          error instanceof EngineError && error.code === 'event_not_allowed'
            ? error.message
            : 'Cette orientation a changé entre-temps : vérifiez son état, puis recommencez.';
        setFlash(req, { kind: 'warning', message });
        res.redirect(303, `/dossiers/${caseId}/orientations-partenaires#orientation-${params.data.referralId}`);
        return;
      }
      if (
        (error instanceof AppError && error.code === 'validation_failed') ||
        (error instanceof EngineError && error.code === 'invalid_input')
      ) {
        // A category the draft did not carry: only reductions are allowed.
        setFlash(req, { kind: 'error', message: 'Seules les informations prévues par l’orientation peuvent être partagées.' });
        res.redirect(303, `/dossiers/${caseId}/orientations-partenaires#orientation-${params.data.referralId}`);
        return;
      }
      throw error;
    }
    setFlash(req, { kind: 'success', message: 'Orientation envoyée : le partenaire la voit dans ses orientations reçues.' });
    res.redirect(303, `/dossiers/${caseId}/orientations-partenaires#orientation-${params.data.referralId}`);
  },
});

export const cancelReferralPage = definePage({
  method: 'post',
  path: '/orientations/:referralId/annulation',
  access: { kind: 'acting', permission: 'referral.cancel' },
  handle: async ({ req, res, deps, call }) => {
    const params = referralIdParam.safeParse(req.params);
    if (!params.success) throw referralNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const caseId = caseOfForm(body);
    try {
      await cancelReferral(deps.db, params.data.referralId, revisionOf(body.expectedRevision), call);
      setFlash(req, { kind: 'success', message: 'Orientation annulée : le partenaire n’a plus accès au dossier.' });
    } catch (error) {
      if (!isConflict(error)) throw error;
      setFlash(req, {
        kind: 'warning',
        message: 'Cette orientation a changé entre-temps : vérifiez son état, puis recommencez.',
      });
    }
    res.redirect(303, `/dossiers/${caseId}/orientations-partenaires#orientation-${params.data.referralId}`);
  },
});

/**
 * A signed link for a partner without an account. The token is shown once, on this answer (not after a
 * redirect: it would have to wait in the session or go in a URL), and only its hash is kept.
 */
export const issuePartnerLinkPage = definePage({
  method: 'post',
  path: '/orientations/:referralId/lien-partenaire',
  access: { kind: 'acting', permission: 'partner_link.issue' },
  handle: async ({ req, res, deps, call }) => {
    const params = referralIdParam.safeParse(req.params);
    if (!params.success) throw referralNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const caseId = caseOfForm(body);
    let issued: Awaited<ReturnType<typeof issuePartnerLink>>;
    try {
      issued = await issuePartnerLink(deps.db, params.data.referralId, deps.partnerLinkSecret, call);
    } catch (error) {
      if (!isConflict(error)) throw error;
      setFlash(req, { kind: 'warning', message: 'Un lien ne peut être créé que pour une orientation envoyée et en cours.' });
      res.redirect(303, `/dossiers/${caseId}/orientations-partenaires#orientation-${params.data.referralId}`);
      return;
    }
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    await renderPage(deps, req, res, 'partner-link-issued', {
      title: 'Lien pour un partenaire sans compte',
      caseId,
      referralId: params.data.referralId,
      url: `${origin}${issued.url}`,
      expiresAt: issued.expiresAt,
    });
  },
});

export const handOverReferentPage = definePage({
  method: 'post',
  path: '/dossiers/:caseId/referent',
  access: { kind: 'acting', permission: 'referral.handover' },
  handle: async ({ req, res, deps, call }) => {
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw caseNotFound();
    const caseId = params.data.caseId;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const organisationId = textOf(body.structure);
    const note = textOf(body.note);
    const fail = (message: string, status: number, consentMissing = false) =>
      renderCaseReferrals(deps, deps.directory, req, res, call, caseId, {
        handoverError: { message, organisationId, note, consentMissing },
        status,
      });
    if (!z.uuid().safeParse(organisationId).success) return fail('Choisissez la structure qui devient référente.', 400);
    if (!note) return fail('Écrivez une note de passage de relais pour la nouvelle structure référente.', 400);
    if (note.length > 4000) return fail('La note dépasse 4 000 caractères.', 400);
    try {
      await handOverReferent(
        deps.db,
        caseId,
        {
          expectedRevision: revisionOf(body.expectedRevision),
          referentOrganisationId: organisationId,
          referentAgentId: null,
          note,
        },
        call,
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'consent_not_covering')
        return fail(error.message, 422, !error.details.notCovered?.opposition);
      if (error instanceof AppError && (error.code === 'validation_failed' || error.code === 'forbidden'))
        return fail(error.message, 400);
      if (isConflict(error)) return fail('Le dossier a changé entre-temps : vérifiez, puis recommencez.', 409);
      throw error;
    }
    setFlash(req, { kind: 'success', message: 'Relais passé : la nouvelle structure référente suit désormais le parcours.' });
    res.redirect(303, `/dossiers/${caseId}`);
  },
});

export const caseReferralsPages: AnyPageRoute[] = [
  caseReferralsPage,
  sendReferralPage,
  cancelReferralPage,
  issuePartnerLinkPage,
  handOverReferentPage,
];
