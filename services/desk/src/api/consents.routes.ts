import {
  consentIdParams,
  consentList,
  consentNotice,
  consentNoticeQuery,
  consentView,
  consentWithdrawal,
  personIdParams,
  recordConsentBody,
  withdrawConsentBody,
} from '../features/consents/consent.schemas.ts';
import { printableNotice } from '../features/consents/consent-notice.ts';
import { getConsentNotice } from '../features/consents/get-consent-notice.ts';
import { listPersonConsents } from '../features/consents/list-person-consents.ts';
import { recordConsent } from '../features/consents/record-consent.ts';
import { withdrawConsent } from '../features/consents/withdraw-consent.ts';
import { personNotFound } from '../http/not-found.ts';
import { defineRoute } from '../http/route.ts';

export const getConsentNoticeRoute = defineRoute({
  operationId: 'getConsentNotice',
  method: 'get',
  path: '/api/v1/consent-notice',
  summary:
    'La notice d’information d’un partage (ce qui est partagé, avec qui, par quel moyen, avec quelle sécurité), son texte exact et son empreinte ; `format=html` pour l’imprimer',
  tags: ['consents'],
  access: { kind: 'acting', permission: 'consent.record' },
  query: consentNoticeQuery,
  responses: {
    200: { description: 'La notice (JSON, ou HTML imprimable avec format=html)', schema: consentNotice },
  },
  handle: async ({ call, query, deps }) => {
    const { notice, recipients } = await getConsentNotice(deps.db, query, call);
    if (query.format === 'html') return { status: 200, html: printableNotice(notice), headers: { 'Cache-Control': 'no-store' } };
    return { status: 200, body: { version: notice.version, sha256: notice.sha256, text: notice.text, recipients } };
  },
});

export const recordConsentRoute = defineRoute({
  operationId: 'recordConsent',
  method: 'post',
  path: '/api/v1/consents',
  summary:
    'Enregistrer le consentement au partage (ou l’opposition) : les quatre informations données, la notice montrée (version + SHA-256), la méthode',
  tags: ['consents'],
  access: { kind: 'acting', permission: 'consent.record' },
  body: recordConsentBody,
  responses: { 201: { description: 'Consentement enregistré', schema: consentView } },
  problems: { 422: 'La notice montrée ne correspond pas à ce partage' },
  handle: async ({ call, body, deps }) => {
    const recorded = await recordConsent(deps.db, body, call);
    return { status: 201, body: recorded, headers: { Location: `/api/v1/consents/${recorded.id}` } };
  },
});

export const withdrawConsentRoute = defineRoute({
  operationId: 'withdrawConsent',
  method: 'post',
  path: '/api/v1/consents/{consentId}/withdrawal',
  summary: 'Retirer un consentement (ou lever une opposition) : effet à la requête suivante, destinataires prévenus',
  tags: ['consents'],
  access: { kind: 'acting', permission: 'consent.withdraw' },
  params: consentIdParams,
  body: withdrawConsentBody,
  responses: {
    200: {
      description:
        'Consentement retiré, en entier ou en partie (`only`) : ce qui reste en vigueur est un nouveau consentement (`replacedBy`) ; les orientations qui ne sont plus couvertes (`affectedReferralIds`)',
      schema: consentWithdrawal,
    },
  },
  problems: { 409: 'Déjà retiré' },
  handle: async ({ call, params, body, deps }) => ({
    status: 200,
    body: await withdrawConsent(deps.db, params.consentId, body, call),
  }),
});

export const listPersonConsentsRoute = defineRoute({
  operationId: 'listPersonConsents',
  method: 'get',
  path: '/api/v1/persons/{personId}/consents',
  summary: 'Les consentements et oppositions d’une personne, les plus récents d’abord',
  tags: ['consents'],
  access: { kind: 'acting', permission: 'consent.read' },
  params: personIdParams,
  responses: { 200: { description: 'Consentements', schema: consentList } },
  handle: async ({ call, params, deps }) => {
    const items = await listPersonConsents(deps.db, params.personId, call);
    if (!items) throw personNotFound();
    return { status: 200, body: { items } };
  },
});

export const consentRoutes = [getConsentNoticeRoute, recordConsentRoute, withdrawConsentRoute, listPersonConsentsRoute];
