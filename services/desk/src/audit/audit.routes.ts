import { AppError } from '../errors/app-error.ts';
import { defineRoute } from '../openapi/route-registry.ts';
import { auditEventList, listAuditEventsQuery, personAccessLog, personExport, personIdParams } from './audit.schemas.ts';
import { exportPersonData } from './export-person-data.ts';
import { listAuditEvents } from './list-audit-events.ts';
import { whoSawPerson } from './who-saw-person.ts';

const personNotFound = () => new AppError('not_found', 'Cette personne est introuvable.');

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
  handle: async ({ caller, query, requestId, deps }) => ({
    status: 200,
    body: await listAuditEvents(deps.db, query, { agent: caller, requestId, clock: deps.clock }),
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
  handle: async ({ caller, params, requestId, deps }) => {
    const log = await whoSawPerson(deps.db, params.personId, { agent: caller, requestId, clock: deps.clock });
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
  handle: async ({ caller, params, requestId, deps }) => {
    const exported = await exportPersonData(deps.db, params.personId, { agent: caller, requestId, clock: deps.clock });
    if (!exported) throw personNotFound();
    return {
      status: 200,
      body: exported,
      headers: { 'Cache-Control': 'no-store', 'Content-Disposition': 'attachment; filename="export-donnees-personne.json"' },
    };
  },
});

export const auditRoutes = [listAuditEventsRoute, whoSawPersonRoute, exportPersonDataRoute];
