import { getReferralMailPreference, setReferralMailPreference } from '../features/agents/referral-mail-preference.ts';
import { caseIdParams, caseState } from '../features/cases/case.schemas.ts';
import { etagOf } from '../features/cases/case-state.ts';
import { answerReferral } from '../features/referrals/answer-referral.ts';
import { cancelReferral } from '../features/referrals/cancel-referral.ts';
import { getPartnerReferral } from '../features/referrals/get-partner-referral.ts';
import { handOverReferent } from '../features/referrals/hand-over-referent.ts';
import { listCaseReferrals } from '../features/referrals/list-case-referrals.ts';
import { listPartnerInbox } from '../features/referrals/list-partner-inbox.ts';
import {
  answerReferralBody,
  answerReferralResult,
  cancelReferralBody,
  caseReferralList,
  handOverReferentBody,
  partnerInbox,
  partnerInboxQuery,
  partnerReferral,
  referralIdParams,
  referralMailPreference,
  referralView,
  sendReferralBody,
  sendReferralResult,
} from '../features/referrals/referral.schemas.ts';
import { sendReferral } from '../features/referrals/send-referral.ts';
import { caseNotFound, referralNotFound } from '../http/not-found.ts';
import { defineRoute } from '../http/route.ts';

export const listCaseReferralsRoute = defineRoute({
  operationId: 'listCaseReferrals',
  method: 'get',
  path: '/api/v1/cases/{caseId}/referrals',
  summary: 'Les orientations d’un dossier et les réponses des partenaires',
  tags: ['referrals'],
  access: { kind: 'acting', permission: 'referral.read' },
  params: caseIdParams,
  responses: { 200: { description: 'Orientations, des plus anciennes aux plus récentes', schema: caseReferralList } },
  handle: async ({ call, params, deps }) => {
    const items = await listCaseReferrals(deps.db, params.caseId, call);
    if (!items) throw caseNotFound();
    return { status: 200, body: { items } };
  },
});

export const sendReferralRoute = defineRoute({
  operationId: 'sendReferral',
  method: 'post',
  path: '/api/v1/referrals/{referralId}/send',
  summary:
    'Envoyer une orientation : un consentement actif doit couvrir le destinataire, la finalité et chaque catégorie partagée (sinon 422 avec ce qui manque)',
  tags: ['referrals'],
  access: { kind: 'acting', permission: 'referral.send' },
  params: referralIdParams,
  body: sendReferralBody,
  responses: { 200: { description: 'Orientation envoyée, avec le consentement qui l’autorise', schema: sendReferralResult } },
  problems: { 409: 'Révision dépassée, ou orientation déjà envoyée', 422: 'Consentement insuffisant : `notCovered`' },
  handle: async ({ call, params, body, deps }) => ({
    status: 200,
    body: await sendReferral(deps.db, params.referralId, body, call),
  }),
});

export const cancelReferralRoute = defineRoute({
  operationId: 'cancelReferral',
  method: 'post',
  path: '/api/v1/referrals/{referralId}/cancel',
  summary: 'Annuler une orientation (par la structure qui l’a envoyée) : l’accès du partenaire prend fin',
  tags: ['referrals'],
  access: { kind: 'acting', permission: 'referral.cancel' },
  params: referralIdParams,
  body: cancelReferralBody,
  responses: { 200: { description: 'Orientation annulée', schema: referralView } },
  problems: { 409: 'Révision dépassée, ou orientation déjà close' },
  handle: async ({ call, params, body, deps }) => ({
    status: 200,
    body: await cancelReferral(deps.db, params.referralId, body.expectedRevision, call),
  }),
});

export const listPartnerInboxRoute = defineRoute({
  operationId: 'listPartnerInbox',
  method: 'get',
  path: '/api/v1/partner/referrals',
  summary:
    'Les orientations adressées à ma structure, avec leurs échéances ; filtres : en cours/closes, statut, finalité, en retard',
  tags: ['partner'],
  access: { kind: 'acting', permission: 'partner.inbox' },
  query: partnerInboxQuery,
  responses: { 200: { description: 'Une page d’orientations (identifiants et codes seulement)', schema: partnerInbox } },
  handle: async ({ call, query, deps }) => ({
    status: 200,
    body: await listPartnerInbox(deps.db, query, call),
  }),
});

export const getPartnerReferralRoute = defineRoute({
  operationId: 'getPartnerReferral',
  method: 'get',
  path: '/api/v1/partner/referrals/{referralId}',
  summary:
    'Une orientation adressée à ma structure, et du dossier seulement les catégories couvertes par le consentement (lecture tracée avec ce consentement)',
  tags: ['partner'],
  access: { kind: 'acting', permission: 'partner.case_read' },
  params: referralIdParams,
  responses: { 200: { description: 'L’orientation et les informations partagées', schema: partnerReferral } },
  handle: async ({ call, params, res, deps }) => {
    const found = await getPartnerReferral(deps.db, params.referralId, call);
    if (!found) throw referralNotFound();
    res.set('Cache-Control', 'no-store');
    return { status: 200, body: found };
  },
});

export const answerReferralRoute = defineRoute({
  operationId: 'answerReferral',
  method: 'post',
  path: '/api/v1/partner/referrals/{referralId}/answers',
  summary:
    'Répondre à une orientation : vue, à l’étude, acceptée (conditions), refusée (motif), réorientée (un brouillon est proposé à l’émetteur), rendez-vous, issue',
  tags: ['partner'],
  access: { kind: 'acting', permission: 'referral.answer' },
  params: referralIdParams,
  body: answerReferralBody,
  responses: { 200: { description: 'L’orientation après la réponse', schema: answerReferralResult } },
  problems: { 409: 'Révision dépassée, ou réponse impossible à cette étape' },
  handle: async ({ call, params, body, deps }) => ({
    status: 200,
    body: await answerReferral(deps.db, params.referralId, body, call),
  }),
});

export const handOverReferentRoute = defineRoute({
  operationId: 'handOverReferent',
  method: 'post',
  path: '/api/v1/cases/{caseId}/referent',
  summary:
    'Passer le relais de référent de parcours à une autre structure, avec une note ; le consentement est vérifié de nouveau',
  tags: ['referrals'],
  access: { kind: 'acting', permission: 'referral.handover' },
  params: caseIdParams,
  body: handOverReferentBody,
  responses: { 200: { description: 'Le dossier, avec sa nouvelle révision', schema: caseState } },
  problems: { 409: 'Révision dépassée, ou dossier clos', 422: 'Consentement insuffisant pour cette structure' },
  handle: async ({ call, params, body, deps }) => {
    const moved = await handOverReferent(deps.db, params.caseId, body, call);
    return { status: 200, body: moved, headers: { ETag: etagOf(moved.revision) } };
  },
});

export const getReferralMailPreferenceRoute = defineRoute({
  operationId: 'getReferralMailPreference',
  method: 'get',
  path: '/api/v1/partner/referral-mail',
  summary:
    'Comment je suis prévenu des orientations adressées à ma structure : un courriel chacune, ou un récapitulatif par demi-journée',
  tags: ['partner'],
  access: { kind: 'acting', permission: 'referral_mail.choose' },
  responses: { 200: { description: 'Mon choix', schema: referralMailPreference } },
  handle: async ({ call, deps }) => ({ status: 200, body: { mode: await getReferralMailPreference(deps.db, call) } }),
});

export const setReferralMailPreferenceRoute = defineRoute({
  operationId: 'setReferralMailPreference',
  method: 'post',
  path: '/api/v1/partner/referral-mail',
  summary:
    'Choisir un courriel par orientation reçue (« each ») ou un récapitulatif à 8 h et 13 h, sans information sur les personnes (« digest »)',
  tags: ['partner'],
  access: { kind: 'acting', permission: 'referral_mail.choose' },
  body: referralMailPreference,
  responses: { 200: { description: 'Mon choix, enregistré', schema: referralMailPreference } },
  handle: async ({ call, body, deps }) => ({
    status: 200,
    body: { mode: await setReferralMailPreference(deps.db, body.mode, call) },
  }),
});

export const referralRoutes = [
  listCaseReferralsRoute,
  sendReferralRoute,
  cancelReferralRoute,
  listPartnerInboxRoute,
  getPartnerReferralRoute,
  answerReferralRoute,
  handOverReferentRoute,
  getReferralMailPreferenceRoute,
  setReferralMailPreferenceRoute,
];
