import { weekdayLabels } from '@parcours/directory';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { DirectoryImportReport, ListedService } from '../features/directory/directory.schemas.ts';
import { importDirectory } from '../features/directory/import-directory.ts';
import { getDirectoryService } from '../features/directory/search-services.ts';
import { AppError } from '../http/app-error.ts';
import type { UploadedFile } from '../http/multipart-form.ts';
import { serviceNotFound } from '../http/not-found.ts';
import {
  applicationModeLabels,
  costLabels,
  directoryFiltersOf,
  directoryQueryOf,
  frequencyLabels,
  pagerOf,
  permanenceModeLabels,
  publicLabels,
  searchDirectoryPage,
  serviceListItemOf,
} from './directory-search.model.ts';
import { type PagesDependencies, renderPage } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { parisTodayOf } from './view-engine.ts';

export const directoryImportPagePath = '/annuaire/import';

function serviceDetailOf(service: ListedService, communeName: (code: string) => string | null, today: string) {
  return {
    ...serviceListItemOf(service, today),
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
  };
}

const importMessages = {
  empty: 'Choisissez un fichier d’annuaire ou collez son contenu JSON.',
  both: 'Envoyez soit un fichier, soit un texte collé, pas les deux.',
  json: 'Le contenu n’est pas du JSON valide : vérifiez le fichier (export de Parcours ou format parcours-directory).',
};

async function renderImport(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  state: { error: string | null; text: string; report: DirectoryImportReport | null; status?: number },
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
      report: state.report
        ? {
            total: state.report.total,
            written: state.report.written,
            rejectedCount: state.report.rejected.length,
            // French counts zero and one in the singular.
            writtenLabel: state.report.written > 1 ? 'services enregistrés' : 'service enregistré',
            rejectedLabel: state.report.rejected.length > 1 ? 'lignes rejetées' : 'ligne rejetée',
            rejected: state.report.rejected.map((row) => ({ line: row.index + 1, id: row.id ?? '—', reasons: row.reasons })),
            formatLabel:
              state.report.format === 'data-inclusion'
                ? 'data·inclusion v1'
                : state.report.format === 'hsds'
                  ? 'Open Referral HSDS 3'
                  : 'Parcours',
            // The structures of an exchanged file and the organisation of the territory each was matched to.
            structures: (state.report.structures ?? []).map((structure) => ({
              name: structure.name,
              match: structure.organisation
                ? `${structure.organisation.name} (par ${structure.matchedBy === 'siret' ? 'SIRET' : 'nom'})`
                : 'Aucune structure du territoire reconnue',
            })),
            notes: state.report.notes ?? [],
          }
        : null,
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
      searchDirectoryPage(deps.directory, agent, query, undefined, parisTodayOf(deps.clock.now())),
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
        service: serviceDetailOf(service, (code) => index.communeName(code), parisTodayOf(deps.clock.now())),
      },
      { nav: 'directory' },
    );
  },
});

export const directoryImportFormPage = definePage({
  method: 'get',
  path: directoryImportPagePath,
  access: { kind: 'acting', permission: 'directory.import' },
  handle: async ({ req, res, deps }) => {
    await renderImport(deps, req, res, { error: null, text: '', report: null });
  },
});

/** A file (multipart) or pasted JSON; the report is shown at once (nothing to redirect to: it is not stored). */
export const importDirectoryPage = definePage({
  method: 'post',
  path: directoryImportPagePath,
  access: { kind: 'acting', permission: 'directory.import' },
  // A whole territory's directory: read only once the agent may import.
  upload: { limit: '25mb' },
  handle: async ({ req, res, deps, call }) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const file = body.fichier as UploadedFile | string | undefined;
    const fileText = typeof file === 'object' && file !== null ? file.text.trim() : '';
    const pasted = typeof body.contenu === 'string' ? body.contenu.trim() : '';
    const retry = (error: string) => renderImport(deps, req, res, { error, text: pasted, report: null, status: 400 });
    if (!fileText && !pasted) return retry(importMessages.empty);
    if (fileText && pasted) return retry(importMessages.both);
    let input: unknown;
    try {
      input = JSON.parse(fileText || pasted);
    } catch {
      return retry(importMessages.json);
    }
    try {
      const report = await importDirectory(deps.db, deps.directory, input, call);
      await renderImport(deps, req, res, { error: null, text: '', report });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
      const reason = error.details.errors?.[0]?.message;
      return retry(`${error.message}${reason ? ` ${reason.charAt(0).toUpperCase()}${reason.slice(1)}.` : ''}`);
    }
  },
});

export const directoryPages: AnyPageRoute[] = [directoryPage, directoryServicePage, directoryImportFormPage, importDirectoryPage];
