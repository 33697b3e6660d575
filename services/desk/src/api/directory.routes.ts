import {
  directoryExport,
  directoryExportQuery,
  directoryImportIdParams,
  directoryImportReport,
  directoryImportState,
  importDirectoryBody,
  listedService,
  searchServicesQuery,
  serviceIdParams,
  serviceList,
  startDirectoryImportBody,
} from '../features/directory/directory.schemas.ts';
import { exportDirectory } from '../features/directory/export-directory.ts';
import {
  directoryImportStateOf,
  getDirectoryImport,
  importDirectory,
  startDirectoryImport,
} from '../features/directory/import-directory.ts';
import { getDirectoryService, searchServices } from '../features/directory/search-services.ts';
import { AppError } from '../http/app-error.ts';
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

export const startDirectoryImportRoute = defineRoute({
  operationId: 'startDirectoryImport',
  method: 'post',
  path: '/api/v1/directory/imports',
  summary:
    'Confier un fichier d’annuaire au worker (gros fichiers : Parcours, data·inclusion JSON ou CSV, HSDS 3) ; suivre l’avancement et lire le compte rendu sur getDirectoryImport',
  tags: ['directory'],
  access: { kind: 'acting', permission: 'directory.import' },
  bodyLimit: '40mb',
  body: startDirectoryImportBody,
  responses: { 202: { description: 'Import en attente du worker', schema: directoryImportState } },
  handle: async ({ call, body, deps }) => {
    const csv = 'servicesCsv' in body && typeof body.servicesCsv === 'string' ? body : null;
    const importId = await startDirectoryImport(
      deps.db,
      csv
        ? {
            fileName: (csv.fileName as string | undefined) ?? null,
            content: csv.servicesCsv as string,
            structuresContent: csv.structuresCsv as string,
          }
        : { fileName: null, content: JSON.stringify(body), structuresContent: null },
      call,
    );
    const state = await getDirectoryImport(deps.db, importId, call);
    if (!state) throw new AppError('internal', 'L’import enregistré est introuvable.');
    return {
      status: 202,
      body: directoryImportStateOf(state),
      headers: { Location: `/api/v1/directory/imports/${importId}` },
    };
  },
});

export const getDirectoryImportRoute = defineRoute({
  operationId: 'getDirectoryImport',
  method: 'get',
  path: '/api/v1/directory/imports/{importId}',
  summary: 'Où en est un import d’annuaire du territoire : état, lignes traitées, compte rendu une fois terminé',
  tags: ['directory'],
  access: { kind: 'acting', permission: 'directory.import' },
  params: directoryImportIdParams,
  responses: { 200: { description: 'L’import et son compte rendu', schema: directoryImportState } },
  handle: async ({ call, params, deps }) => {
    const state = await getDirectoryImport(deps.db, params.importId, call);
    if (!state) throw new AppError('not_found', 'Import d’annuaire introuvable dans ce territoire.');
    return { status: 200, body: directoryImportStateOf(state) };
  },
});

export const directoryRoutes = [
  searchServicesRoute,
  getDirectoryServiceRoute,
  importDirectoryRoute,
  startDirectoryImportRoute,
  getDirectoryImportRoute,
  exportDirectoryRoute,
];
