import {
  auditEventList,
  listAuditEventsQuery,
  personAccessLog,
  personExport,
  personIdParams,
} from '../features/audit/audit.schemas.ts';
import { exportPersonData } from '../features/audit/export-person-data.ts';
import { listAuditEvents } from '../features/audit/list-audit-events.ts';
import { whoSawPerson } from '../features/audit/who-saw-person.ts';
import { personNotFound } from '../http/not-found.ts';
import { defineRoute } from '../http/route.ts';

export const listAuditEventsRoute = defineRoute({
  operationId: 'listAuditEvents',
  method: 'get',
  path: '/api/v1/audit/events',
  summary:
    'Parcourir le journal d’audit du territoire (auditeur ; superviseur : les actions des structures du territoire), filtré et paginé',
  tags: ['audit'],
  access: { kind: 'acting', permission: 'audit.read' },
  query: listAuditEventsQuery,
  responses: { 200: { description: 'Une page du journal, du plus récent au plus ancien', schema: auditEventList } },
  handle: async ({ call, query, deps }) => ({
    status: 200,
    body: await listAuditEvents(deps.db, query, call),
  }),
});

export const whoSawPersonRoute = defineRoute({
  operationId: 'whoSawPerson',
  method: 'get',
  path: '/api/v1/persons/{personId}/access-log',
  summary: 'Qui a consulté le dossier de cette personne : lectures et communications, avec structure, finalité et consentement',
  tags: ['audit'],
  access: { kind: 'acting', permission: 'person.access_log' },
  params: personIdParams,
  responses: { 200: { description: 'Les accès, du plus récent au plus ancien', schema: personAccessLog } },
  handle: async ({ call, params, deps }) => {
    const log = await whoSawPerson(deps.db, params.personId, call);
    if (!log) throw personNotFound();
    return { status: 200, body: log, headers: { 'Cache-Control': 'no-store' } };
  },
});

export const exportPersonDataRoute = defineRoute({
  operationId: 'exportPersonData',
  method: 'post',
  path: '/api/v1/persons/{personId}/export',
  summary: 'Produire l’export des données de la personne (droit d’accès, RGPD art. 15), en JSON',
  tags: ['audit'],
  access: { kind: 'acting', permission: 'person.export' },
  params: personIdParams,
  responses: { 200: { description: 'Les données de la personne', schema: personExport } },
  handle: async ({ call, params, deps }) => {
    const exported = await exportPersonData(deps.db, params.personId, call);
    if (!exported) throw personNotFound();
    return {
      status: 200,
      body: exported,
      headers: { 'Cache-Control': 'no-store', 'Content-Disposition': 'attachment; filename="export-donnees-personne.json"' },
    };
  },
});

export const auditRoutes = [listAuditEventsRoute, whoSawPersonRoute, exportPersonDataRoute];
