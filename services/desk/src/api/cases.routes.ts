import {
  caseDetail,
  caseIdParams,
  caseList,
  caseState,
  caseTimeline,
  listCasesQuery,
  openCaseBody,
  sendCaseEventBody,
} from '../features/cases/case.schemas.ts';
import { etagOf } from '../features/cases/case-state.ts';
import { getCase } from '../features/cases/get-case.ts';
import { getCaseTimeline } from '../features/cases/get-case-timeline.ts';
import { listCases } from '../features/cases/list-cases.ts';
import { openCase } from '../features/cases/open-case.ts';
import { sendCaseEvent } from '../features/cases/send-case-event.ts';
import { caseNotFound } from '../http/not-found.ts';
import { defineRoute } from '../http/route.ts';

const etagHeader = { ETag: { description: 'La révision du dossier' } };

export const openCaseRoute = defineRoute({
  operationId: 'openCase',
  method: 'post',
  path: '/api/v1/cases',
  summary: 'Ouvrir un dossier dans la structure d’accueil (toute structure partenaire peut être la porte d’entrée)',
  tags: ['cases'],
  access: { kind: 'acting', permission: 'case.open' },
  body: openCaseBody,
  responses: { 201: { description: 'Dossier ouvert, à l’accueil', schema: caseState, headers: etagHeader } },
  handle: async ({ call, body, deps }) => {
    const opened = await openCase(deps.db, body, call);
    return { status: 201, body: opened, headers: { Location: `/api/v1/cases/${opened.id}`, ETag: etagOf(opened.revision) } };
  },
});

export const listCasesRoute = defineRoute({
  operationId: 'listCases',
  method: 'get',
  path: '/api/v1/cases',
  summary: 'Les dossiers de la structure (porte d’entrée ou référente), filtrés et paginés',
  tags: ['cases'],
  access: { kind: 'acting', permission: 'case.list' },
  query: listCasesQuery,
  responses: { 200: { description: 'Une page de dossiers', schema: caseList } },
  handle: async ({ call, query, deps }) => ({
    status: 200,
    body: await listCases(deps.db, query, call),
  }),
});

export const getCaseRoute = defineRoute({
  operationId: 'getCase',
  method: 'get',
  path: '/api/v1/cases/{caseId}',
  summary: 'Lire un dossier (ETag = révision ; If-None-Match donne 304 s’il n’a pas bougé)',
  tags: ['cases'],
  access: { kind: 'acting', permission: 'case.read' },
  params: caseIdParams,
  responses: {
    200: { description: 'Le dossier', schema: caseDetail, headers: etagHeader },
    304: { description: 'Inchangé depuis la révision indiquée' },
  },
  handle: async ({ call, params, req, deps }) => {
    const found = await getCase(deps.db, params.caseId, call);
    if (!found) throw caseNotFound();
    const etag = etagOf(found.revision);
    // The ETag lets a client ask again cheaply (If-None-Match); no copy is kept by a cache or the browser.
    const headers = { ETag: etag, 'Cache-Control': 'no-store' };
    if (req.get('if-none-match') === etag) return { status: 304, headers };
    return { status: 200, body: found, headers };
  },
});

export const sendCaseEventRoute = defineRoute({
  operationId: 'sendCaseEvent',
  method: 'post',
  path: '/api/v1/cases/{caseId}/events',
  summary: 'Faire avancer le parcours : un événement, avec la révision lue',
  tags: ['cases'],
  access: { kind: 'acting', permission: 'case.transition' },
  params: caseIdParams,
  body: sendCaseEventBody,
  responses: {
    200: { description: 'Le nouvel état, sa révision et les événements possibles', schema: caseState, headers: etagHeader },
  },
  handle: async ({ call, params, body, deps }) => {
    const moved = await sendCaseEvent(deps.db, params.caseId, body, call);
    return { status: 200, body: moved, headers: { ETag: etagOf(moved.revision) } };
  },
});

export const getCaseTimelineRoute = defineRoute({
  operationId: 'getCaseTimeline',
  method: 'get',
  path: '/api/v1/cases/{caseId}/timeline',
  summary: 'L’historique du dossier et de ses orientations',
  tags: ['cases'],
  access: { kind: 'acting', permission: 'case.read' },
  params: caseIdParams,
  responses: { 200: { description: 'Les événements, du plus ancien au plus récent', schema: caseTimeline } },
  handle: async ({ call, params, deps }) => {
    const timeline = await getCaseTimeline(deps.db, params.caseId, call);
    if (!timeline) throw caseNotFound();
    return { status: 200, body: timeline };
  },
});
