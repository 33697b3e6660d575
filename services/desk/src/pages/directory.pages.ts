import { isDataInclusionCsv, weekdayLabels } from '@parcours/directory';
import type { DirectoryImportState } from '@parcours/directory-store';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { DirectoryImportReport, ListedService } from '../features/directory/directory.schemas.ts';
import {
  getDirectoryImport,
  importDirectory,
  listRecentDirectoryImports,
  startDirectoryImport,
} from '../features/directory/import-directory.ts';
import { getDirectoryService } from '../features/directory/search-services.ts';
import { AppError } from '../http/app-error.ts';
import type { DeskCall } from '../http/desk-call.ts';
import type { UploadedFile } from '../http/multipart-form.ts';
import { serviceNotFound } from '../http/not-found.ts';
import {
  applicationModeLabels,
  costLabels,
  directoryFiltersOf,
  directoryQueryOf,
  frequencyLabels,
  pagerOf,
  pageSize,
  permanenceModeLabels,
  publicLabels,
  searchDirectoryPage,
  serviceListItemOf,
} from './directory-search.model.ts';
import { type PagesDependencies, renderPage } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { formatDateTime, parisTodayOf } from './view-engine.ts';

export const directoryImportPagePath = '/annuaire/import';

function serviceDetailOf(
  service: ListedService,
  communeName: (code: string) => string | null,
  today: string,
  freshnessMonths: number,
) {
  return {
    ...serviceListItemOf(service, today, freshnessMonths),
    description: service.description,
    publics: service.publics.map((value) => publicLabels[value]),
    eligibility: service.eligibility,
    cost: costLabels[service.cost.kind],
    costDescription: service.cost.description ?? null,
    prerequisites: service.prerequisites,
    documents: service.documents,
    howToApply: {
      modes: service.howToApply.modes.map((mode) => applicationModeLabels[mode]),
      description: service.howToApply.description,
    },
    locations: service.locations.map((location) => ({
      name: location.name,
      kind: location.kind === 'premises' ? 'Locaux du service' : 'Permanence dans un lieu d’accueil',
      address: `${location.address.street}, ${location.address.postalCode} ${location.address.communeName}`,
      access: location.access ?? null,
      hours: location.openingHours.map((slot) => ({ day: weekdayLabels[slot.weekday], opens: slot.opens, closes: slot.closes })),
    })),
    permanences: service.permanences.map((permanence) => ({
      mode: permanenceModeLabels[permanence.mode],
      commune: communeName(permanence.communeCode) ?? permanence.communeCode,
      place: permanence.place,
      day: weekdayLabels[permanence.weekday],
      opens: permanence.opens,
      closes: permanence.closes,
      frequency: frequencyLabels[permanence.frequency] ?? permanence.frequency,
      note: permanence.note ?? null,
    })),
    communesServed: service.communesServed.map((code) => communeName(code) ?? code).sort((a, b) => a.localeCompare(b, 'fr')),
    contact: {
      phone: service.contact.phone ?? null,
      email: service.contact.email ?? null,
      website: service.contact.website ?? null,
    },
    lastVerifiedAt: service.lastVerifiedAt,
    // Where an imported service comes from, so that the agent knows whom to ask for a correction.
    source: service.source ? { name: service.source.name, updatedAt: service.source.updatedAt ?? null } : null,
  };
}

const importMessages = {
  empty: 'Choisissez un fichier d’annuaire ou collez son contenu JSON.',
  both: 'Envoyez soit un fichier, soit un texte collé, pas les deux.',
  json: 'Le contenu n’est pas du JSON valide : vérifiez le fichier (export de Parcours ou format parcours-directory).',
  structuresAlone:
    'Le fichier des structures accompagne le fichier CSV des services : choisissez aussi celui-ci dans « Fichier d’annuaire ».',
  structuresMissing:
    'Ce fichier est le CSV des services de data·inclusion : joignez aussi le fichier CSV des structures (les deux fichiers de l’export).',
};

const importStatusLabels: Record<DirectoryImportState['status'], string> = {
  queued: 'En attente',
  running: 'En cours',
  done: 'Terminé',
  failed: 'Échoué',
};

/** The report as the page shows it: lines counted from 1, formats and matches in words, long lists cut. */
function reportViewOf(report: DirectoryImportReport) {
  // A 20,000-row file may refuse thousands of rows: the page shows the first ones, the API has them all.
  const shownRejected = 500;
  const rowsOf = (rows: DirectoryImportReport['rejected']) =>
    rows.map((row) => ({ line: row.index + 1, id: row.id ?? '—', reasons: row.reasons }));
  return {
    total: report.total,
    written: report.written,
    rejectedCount: report.rejected.length,
    // French counts zero and one in the singular.
    writtenLabel: report.written > 1 ? 'services enregistrés' : 'service enregistré',
    rejectedLabel: report.rejected.length > 1 ? 'lignes rejetées' : 'ligne rejetée',
    rejected: rowsOf(report.rejected.slice(0, shownRejected)),
    rejectedShownOf: report.rejected.length > shownRejected ? report.rejected.length : null,
    rejectedStructures: rowsOf(report.rejectedStructures ?? []),
    formatLabel:
      report.format === 'data-inclusion'
        ? 'data·inclusion v1'
        : report.format === 'data-inclusion-csv'
          ? 'data·inclusion v1 (CSV)'
          : report.format === 'hsds'
            ? 'Open Referral HSDS 3'
            : 'Parcours',
    // The structures of an exchanged file and the organisation of the territory each was matched to.
    structures: (report.structures ?? []).map((structure) => ({
      name: structure.name,
      match: structure.organisation
        ? `${structure.organisation.name} (par ${structure.matchedBy === 'siret' ? 'SIRET' : 'nom'})`
        : 'Aucune structure du territoire reconnue',
    })),
    notes: (report.notes ?? []).slice(0, shownRejected),
    disappeared: report.disappeared ?? [],
  };
}

async function renderImport(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  state: { error: string | null; text: string; report: DirectoryImportReport | null; status?: number },
  call: DeskCall,
) {
  const imports = await listRecentDirectoryImports(deps.db, call);
  return renderImportWith(deps, req, res, { ...state, imports });
}

async function renderImportWith(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  state: {
    error: string | null;
    text: string;
    report: DirectoryImportReport | null;
    status?: number;
    imports: Array<Pick<DirectoryImportState, 'id' | 'fileName' | 'status' | 'createdAt'>>;
  },
) {
  await renderPage(
    deps,
    req,
    res,
    'directory-import',
    {
      title: state.error ? 'Erreur — importer l’annuaire' : state.report ? 'Compte rendu d’import' : 'Importer l’annuaire',
      error: state.error,
      summary: state.error ? [{ anchor: 'import-fichier', message: state.error }] : [],
      text: state.text,
      report: state.report ? reportViewOf(state.report) : null,
      imports: state.imports.map((item) => ({
        id: item.id,
        fileName: item.fileName ?? 'Fichier sans nom',
        status: importStatusLabels[item.status],
        createdAt: formatDateTime(item.createdAt),
      })),
    },
    { nav: 'directory', status: state.status },
  );
}

/**
 * The territory's directory for every agent (it holds no personal data): search by bundle, commune
 * served and words, each service's page; and, for administrators, the import of a directory file with
 * the report of rejected rows.
 */
export const directoryPage = definePage({
  method: 'get',
  path: '/annuaire',
  access: { kind: 'acting', permission: 'directory.read' },
  handle: async ({ req, res, deps, caller: agent }) => {
    const query = directoryQueryOf(req.query);
    const [filters, found] = await Promise.all([
      directoryFiltersOf(deps.directory, agent, query),
      searchDirectoryPage(deps.directory, agent, query, pageSize, parisTodayOf(deps.clock.now())),
    ]);
    await renderPage(
      deps,
      req,
      res,
      'directory',
      {
        title: 'Annuaire des services',
        filters,
        searched: Boolean(query.bouquet || query.commune || query.texte),
        services: found.items,
        total: found.total,
        pager: pagerOf(query, found.total),
        canImport: agent.roles.includes('admin'),
      },
      { nav: 'directory' },
    );
  },
});

export const directoryServicePage = definePage({
  method: 'get',
  path: '/annuaire/services/:serviceId',
  access: { kind: 'acting', permission: 'directory.read' },
  handle: async ({ req, res, deps, caller: agent }) => {
    const serviceId = z.string().min(1).max(200).safeParse(req.params.serviceId);
    const service = serviceId.success ? await getDirectoryService(deps.directory, serviceId.data, { agent }) : null;
    if (!service) throw serviceNotFound();
    const { index } = await deps.directory.directoryOf(agent.territoryId);
    await renderPage(
      deps,
      req,
      res,
      'directory-service',
      {
        title: `${service.name} — annuaire`,
        service: serviceDetailOf(
          service,
          (code) => index.communeName(code),
          parisTodayOf(deps.clock.now()),
          index.freshnessMonths,
        ),
      },
      { nav: 'directory' },
    );
  },
});

export const directoryImportFormPage = definePage({
  method: 'get',
  path: directoryImportPagePath,
  access: { kind: 'acting', permission: 'directory.import' },
  handle: async ({ req, res, deps, call }) => {
    await renderImport(deps, req, res, { error: null, text: '', report: null }, call);
  },
});

/**
 * Pasted JSON (a few services) is imported at once and its report shown; a file (JSON, or data·inclusion's two
 * CSV files) is stored and handed to the worker, and the agent is sent to its progress page.
 */
export const importDirectoryPage = definePage({
  method: 'post',
  path: directoryImportPagePath,
  access: { kind: 'acting', permission: 'directory.import' },
  // A whole territory's directory: read only once the agent may import.
  upload: { limit: '40mb' },
  handle: async ({ req, res, deps, call }) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const file = body.fichier as UploadedFile | string | undefined;
    const structures = body.structures as UploadedFile | string | undefined;
    const fileText = typeof file === 'object' && file !== null ? file.text.trim() : '';
    const structuresText = typeof structures === 'object' && structures !== null ? structures.text.trim() : '';
    const pasted = typeof body.contenu === 'string' ? body.contenu.trim() : '';
    const retry = (error: string) => renderImport(deps, req, res, { error, text: pasted, report: null, status: 400 }, call);
    if (!fileText && !pasted) return retry(structuresText ? importMessages.structuresAlone : importMessages.empty);
    if (fileText && pasted) return retry(importMessages.both);
    if (fileText) {
      // Not parsed here: a large file is read by the worker, which says on the next page what it found.
      const csv = isDataInclusionCsv(fileText);
      if (csv && !structuresText) return retry(importMessages.structuresMissing);
      if (!csv && structuresText) return retry(importMessages.structuresAlone);
      const importId = await startDirectoryImport(
        deps.db,
        {
          fileName: typeof file === 'object' && file !== null ? file.name || null : null,
          content: fileText,
          structuresContent: csv ? structuresText : null,
        },
        call,
      );
      res.redirect(303, `/annuaire/imports/${importId}`);
      return;
    }
    let input: unknown;
    try {
      input = JSON.parse(pasted);
    } catch {
      return retry(importMessages.json);
    }
    try {
      const report = await importDirectory(deps.db, deps.directory, input, call);
      await renderImport(deps, req, res, { error: null, text: '', report }, call);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
      const reason = error.details.errors?.[0]?.message;
      return retry(`${error.message}${reason ? ` ${reason.charAt(0).toUpperCase()}${reason.slice(1)}.` : ''}`);
    }
  },
});

/** Where an import stands: its progress while the worker reads it, then its report, or why it failed. */
export const directoryImportProgressPage = definePage({
  method: 'get',
  path: '/annuaire/imports/:importId',
  access: { kind: 'acting', permission: 'directory.import' },
  handle: async ({ req, res, deps, call }) => {
    const importId = z.uuid().safeParse(req.params.importId);
    const state = importId.success ? await getDirectoryImport(deps.db, importId.data, call) : null;
    if (!state) throw new AppError('not_found', 'Import d’annuaire introuvable dans ce territoire.');
    const running = state.status === 'queued' || state.status === 'running';
    const total = state.total ?? 0;
    await renderPage(
      deps,
      req,
      res,
      'directory-import-progress',
      {
        title: running
          ? 'Import en cours — annuaire'
          : state.status === 'failed'
            ? 'Import échoué — annuaire'
            : 'Compte rendu d’import',
        fileName: state.fileName,
        createdAt: formatDateTime(state.createdAt),
        status: state.status,
        running,
        failed: state.status === 'failed',
        error: state.error,
        apiUrl: `/api/v1/directory/imports/${state.id}`,
        pageUrl: `/annuaire/imports/${state.id}`,
        progressText:
          state.status === 'queued' || total === 0
            ? 'Import en attente de traitement…'
            : `Import en cours : ${state.processed} lignes traitées sur ${total}.`,
        progressMax: Math.max(total, 1),
        progressValue: state.processed,
        progressPercent: total > 0 ? Math.floor((state.processed / total) * 100) : 0,
        report: state.status === 'done' && state.report ? reportViewOf(state.report) : null,
      },
      { nav: 'directory' },
    );
  },
});

export const directoryPages: AnyPageRoute[] = [
  directoryPage,
  directoryServicePage,
  directoryImportFormPage,
  importDirectoryPage,
  directoryImportProgressPage,
];
