import { issuePartnerLink } from '../features/partner-links/issue-partner-link.ts';
import { issuedPartnerLink, partnerLinkAnswerBody, partnerLinkReadBody } from '../features/partner-links/partner-link.schemas.ts';
import { answerByPartnerLink, getReferralByPartnerLink } from '../features/partner-links/use-partner-link.ts';
import { answerReferralResult, partnerReferral, referralIdParams } from '../features/referrals/referral.schemas.ts';
import { defineRoute } from '../http/route.ts';

export const issuePartnerLinkRoute = defineRoute({
  operationId: 'issuePartnerLink',
  method: 'post',
  path: '/api/v1/referrals/{referralId}/partner-links',
  summary:
    'Créer un lien signé (8 jours) pour qu’un partenaire sans compte réponde à cette orientation ; le jeton n’est montré qu’une fois',
  tags: ['partner-links'],
  access: { kind: 'acting', permission: 'partner_link.issue' },
  params: referralIdParams,
  responses: { 201: { description: 'Le lien et son jeton', schema: issuedPartnerLink } },
  problems: { 409: 'L’orientation n’est pas en cours' },
  handle: async ({ call, params, res, deps }) => {
    res.set('Cache-Control', 'no-store');
    return {
      status: 201,
      body: await issuePartnerLink(deps.db, params.referralId, deps.partnerLinkSecret, call),
    };
  },
});

export const getReferralByPartnerLinkRoute = defineRoute({
  operationId: 'getReferralByPartnerLink',
  method: 'post',
  path: '/api/v1/partner-link/referral',
  summary:
    'Lire l’orientation d’un lien signé (jeton dans le corps, jamais dans l’adresse) : seulement les catégories couvertes, jamais la santé',
  tags: ['partner-links'],
  access: { kind: 'public' },
  body: partnerLinkReadBody,
  responses: { 200: { description: 'L’orientation et les informations partagées', schema: partnerReferral } },
  problems: { 403: 'Lien invalide, expiré, déjà utilisé, retiré, ou orientation close' },
  handle: async ({ body, requestId, res, deps }) => {
    res.set('Cache-Control', 'no-store');
    return {
      status: 200,
      body: await getReferralByPartnerLink(deps.db, body.token, { secret: deps.partnerLinkSecret, clock: deps.clock, requestId }),
    };
  },
});

export const answerByPartnerLinkRoute = defineRoute({
  operationId: 'answerByPartnerLink',
  method: 'post',
  path: '/api/v1/partner-link/answers',
  summary:
    'Répondre par un lien signé : accepter, refuser (motif) ou fixer un rendez-vous ; l’acteur est enregistré comme lien partenaire',
  tags: ['partner-links'],
  access: { kind: 'public' },
  body: partnerLinkAnswerBody,
  responses: { 200: { description: 'L’orientation après la réponse', schema: answerReferralResult } },
  problems: {
    403: 'Lien invalide, expiré, déjà utilisé, retiré, ou orientation close',
    409: 'Révision dépassée ou réponse impossible',
  },
  handle: async ({ body, requestId, deps }) => ({
    status: 200,
    body: await answerByPartnerLink(deps.db, body, { secret: deps.partnerLinkSecret, clock: deps.clock, requestId }),
  }),
});

export const partnerLinkRoutes = [issuePartnerLinkRoute, getReferralByPartnerLinkRoute, answerByPartnerLinkRoute];
