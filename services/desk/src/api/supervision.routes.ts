import { exportSupervisionTable } from '../features/supervision/export-supervision-table.ts';
import { getSupervisionReport } from '../features/supervision/get-supervision-report.ts';
import {
  exportTableParams,
  type SupervisionReportName,
  supervisionQuery,
  supervisionReport,
} from '../features/supervision/supervision.schemas.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';

const reportRoute = (report: SupervisionReportName, operationId: string, summary: string) =>
  defineRoute({
    operationId,
    method: 'get',
    path: `/api/v1/supervision/${report}`,
    summary,
    tags: ['supervision'],
    access: { kind: 'acting', permission: 'supervision.read' },
    query: supervisionQuery,
    responses: {
      200: {
        description: 'Les tableaux du rapport ; un effectif de moins de k personnes est masqué (hidden)',
        schema: supervisionReport,
      },
    },
    handle: async ({ call, query, deps }) => ({
      status: 200,
      body: await getSupervisionReport(deps.db, report, query, call),
      headers: { 'Cache-Control': 'no-store' },
    }),
  });

export const exportSupervisionTableRoute = defineRoute({
  operationId: 'exportSupervisionTable',
  method: 'get',
  path: '/api/v1/supervision/{report}/tables/{tableId}.csv',
  summary: 'Exporter un tableau d’un rapport en CSV (mêmes cellules masquées que la page)',
  tags: ['supervision'],
  access: { kind: 'acting', permission: 'supervision.read' },
  params: exportTableParams,
  query: supervisionQuery,
  responses: { 200: { description: 'Le tableau, séparé par des points-virgules, en UTF-8', csv: true } },
  handle: async ({ call, params, query, deps }) => {
    const exported = await exportSupervisionTable(deps.db, params, query, call);
    return {
      status: 200,
      csv: exported.csv,
      headers: { 'Cache-Control': 'no-store', 'Content-Disposition': `attachment; filename="${exported.filename}"` },
    };
  },
});

export const supervisionRoutes: AnyRoute[] = [
  reportRoute(
    'delays',
    'getSupervisionDelays',
    'Délais par étape du parcours (médiane, 9e décile, part dans la cible), par structure et par partenaire',
  ),
  reportRoute(
    'breaches',
    'getSupervisionBreaches',
    'Dépassements en cours : orientations sans réponse après relance, dossiers bloqués à une étape',
  ),
  reportRoute(
    'non-take-up',
    'getSupervisionNonTakeUp',
    'Non-recours : droits potentiels du repérage à l’ouverture, orientations perdues, clôtures, contacts sans dossier',
  ),
  reportRoute(
    'activity',
    'getSupervisionActivity',
    'Activité : contacts, dossiers et orientations par mois, structure, canal, bouquet, territoire',
  ),
  exportSupervisionTableRoute,
];
