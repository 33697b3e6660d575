import {
  directoryExport,
  directoryExportQuery,
  directoryImportReport,
  importDirectoryBody,
  listedService,
  searchServicesQuery,
  serviceIdParams,
  serviceList,
} from '../features/directory/directory.schemas.ts';
import { exportDirectory } from '../features/directory/export-directory.ts';
import { importDirectory } from '../features/directory/import-directory.ts';
import { getDirectoryService, searchServices } from '../features/directory/search-services.ts';
import { serviceNotFound } from '../http/not-found.ts';
import { defineRoute } from '../http/route.ts';

export const searchServicesRoute = defineRoute({
  operationId: 'searchServices',
  method: 'get',
  path: '/api/v1/directory/services',
  summary: 'Chercher dans l’annuaire du territoire : bouquet, commune desservie, mots (pas de données personnelles)',
  tags: ['directory'],
  access: { kind: 'acting', permission: 'directory.read' },
  query: searchServicesQuery,
  responses: { 200: { description: 'Une page de services, triés par identifiant', schema: serviceList } },
  handle: async ({ caller, query, deps }) => ({
    status: 200,
    body: await searchServices(deps.directory, query, { agent: caller }),
  }),
});

export const getDirectoryServiceRoute = defineRoute({
  operationId: 'getDirectoryService',
  method: 'get',
  path: '/api/v1/directory/services/{serviceId}',
  summary: 'Un service actif de l’annuaire : lieux, horaires, permanences, contact, délai d’attente',
  tags: ['directory'],
  access: { kind: 'acting', permission: 'directory.read' },
  params: serviceIdParams,
  responses: { 200: { description: 'Le service, et comment une orientation lui parvient', schema: listedService } },
  handle: async ({ caller, params, deps }) => {
    const service = await getDirectoryService(deps.directory, params.serviceId, { agent: caller });
    if (!service) throw serviceNotFound();
    return { status: 200, body: service };
  },
});

export const importDirectoryRoute = defineRoute({
  operationId: 'importDirectory',
  method: 'post',
  path: '/api/v1/directory/import',
  summary:
    'Importer l’annuaire du territoire (format parcours-directory, compatible HSDS / data·inclusion) : lignes valides gardées, chaque ligne rejetée expliquée',
  tags: ['directory'],
  access: { kind: 'acting', permission: 'directory.import' },
  // A whole territory's directory in one document: read only once the caller may import.
  bodyLimit: '25mb',
  body: importDirectoryBody,
  responses: { 200: { description: 'Le compte rendu d’import', schema: directoryImportReport } },
  handle: async ({ call, body, deps }) => ({
    status: 200,
    body: await importDirectory(deps.db, deps.directory, body, call),
  }),
});

export const exportDirectoryRoute = defineRoute({
  operationId: 'exportDirectory',
  method: 'get',
  path: '/api/v1/directory/export',
  summary:
    'Exporter l’annuaire du territoire : format Parcours, data·inclusion v1 ou Open Referral HSDS 3 (format=parcours|data-inclusion|hsds), chacun relu par l’import',
  tags: ['directory'],
  access: { kind: 'acting', permission: 'directory.read' },
  query: directoryExportQuery,
  responses: { 200: { description: 'Le fichier d’annuaire', schema: directoryExport } },
  handle: async ({ call, query, deps }) => ({
    status: 200,
    body: await exportDirectory(deps.db, call, query.format),
    headers: {
      'Content-Disposition': `attachment; filename="annuaire${query.format === 'parcours' ? '' : `-${query.format}`}.json"`,
    },
  }),
});

export const directoryRoutes = [searchServicesRoute, getDirectoryServiceRoute, importDirectoryRoute, exportDirectoryRoute];
