import {
  type applicationModes,
  bundleLabel,
  type DirectoryService,
  type PermanenceMode,
  type Public,
  serviceBundles,
  weekdayLabels,
} from '@parcours/directory';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { DirectoryImportReport } from '../directory/directory.schemas.ts';
import type { DirectoryCache } from '../directory/directory-cache.ts';
import { importDirectory } from '../directory/import-directory.ts';
import { getDirectoryService, searchServices } from '../directory/search-services.ts';
import { AppError } from '../errors/app-error.ts';
import type { ActingAgent } from '../policy/access-policy.ts';
import type { UploadedFile } from './multipart-form.ts';
import { callerOf, deskCallOf, type PagesDependencies, renderPage } from './page-context.ts';

export const directoryImportPagePath = '/annuaire/import';

const pageSize = 20;

/** The search form's fields, as they come in the query string (services are not personal data). */
const directoryQuery = z.object({
  bouquet: z
    .enum(serviceBundles.map((bundle) => bundle.code) as [string, ...string[]])
    .optional()
    .catch(undefined),
  commune: z
    .string()
    .regex(/^(?:\d{2}|2[AB])\d{3}$/)
    .optional()
    .catch(undefined),
  texte: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type DirectoryQuery = z.infer<typeof directoryQuery>;

export function directoryQueryOf(query: unknown): DirectoryQuery {
  const parsed = directoryQuery.safeParse(query);
  return parsed.success ? parsed.data : {};
}

const publicLabels: Record<Public, string> = {
  all: 'Tout public',
  young_people: 'Jeunes',
  families: 'Familles',
  seniors: 'Personnes âgées',
  people_with_disabilities: 'Personnes en situation de handicap',
  jobseekers: 'Demandeurs d’emploi',
  minimum_income_recipients: 'Bénéficiaires de minima sociaux',
  women: 'Femmes',
  migrants: 'Personnes migrantes',
  students: 'Étudiants',
  homeless: 'Personnes sans domicile',
  workers: 'Actifs',
  carers: 'Aidants',
};
const costLabels: Record<DirectoryService['cost']['kind'], string> = {
  free: 'Gratuit',
  paid: 'Payant',
  income_based: 'Selon les ressources',
};
const applicationModeLabels: Record<(typeof applicationModes)[number], string> = {
  walk_in: 'Sans rendez-vous',
  appointment: 'Sur rendez-vous',
  phone: 'Par téléphone',
  email: 'Par courriel',
  online: 'En ligne',
  referral: 'Sur orientation d’un professionnel',
};
const permanenceModeLabels: Record<PermanenceMode, string> = {
  itinerant: 'Itinérant',
  visio: 'Visioconférence',
  on_site: 'Permanence sur place',
};
const frequencyLabels: Record<string, string> = {
  weekly: 'chaque semaine',
  every_two_weeks: 'toutes les deux semaines',
  monthly: 'chaque mois',
};

export function waitingTimeLabel(days: number | null): string {
  if (days === null) return 'Délai d’attente non renseigné';
  if (days === 0) return 'Sans délai d’attente';
  return `Délai d’attente habituel : ${days} ${days === 1 ? 'jour' : 'jours'}`;
}

/** The bundle and commune choices of a search form, the current ones selected. */
export async function directoryFiltersOf(directories: DirectoryCache, agent: ActingAgent, query: DirectoryQuery) {
  const { index, communeCodes } = await directories.directoryOf(agent.territoryId);
  return {
    bundles: serviceBundles.map((bundle) => ({
      code: bundle.code,
      label: `${bundle.number}. ${bundle.label}`,
      selected: query.bouquet === bundle.code,
    })),
    communes: communeCodes
      .map((code) => ({ code, name: index.communeName(code) ?? code, selected: query.commune === code }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr')),
    text: query.texte ?? '',
  };
}

/** What a list shows of a service: name, organisation, bundles, waiting time, referrals through Parcours. */
export function serviceListItemOf(service: DirectoryService) {
  return {
    id: service.id,
    name: service.name,
    organisationName: service.organisation.name,
    bundles: service.bundles.map((code) => bundleLabel(code)),
    waitingTime: waitingTimeLabel(service.waitingTimeDays),
    acceptsReferrals: service.acceptsReferrals,
    itinerant: service.permanences.some((permanence) => permanence.mode === 'itinerant'),
    visio: service.permanences.some((permanence) => permanence.mode === 'visio'),
  };
}

/** One page of a directory search, from the search form's query. */
export async function searchDirectoryPage(
  directories: DirectoryCache,
  agent: ActingAgent,
  query: DirectoryQuery,
  size = pageSize,
) {
  const found = await searchServices(
    directories,
    {
      bundle: query.bouquet as DirectoryService['bundles'][number] | undefined,
      communeCode: query.commune,
      text: query.texte || undefined,
      acceptsReferrals: undefined,
      page: query.page ?? 1,
      pageSize: size,
    },
    { agent },
  );
  return { ...found, items: found.items.map(serviceListItemOf) };
}

function pagerOf(query: DirectoryQuery, total: number) {
  const page = query.page ?? 1;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const hrefOf = (target: number) => {
    const params = new URLSearchParams();
    if (query.bouquet) params.set('bouquet', query.bouquet);
    if (query.commune) params.set('commune', query.commune);
    if (query.texte) params.set('texte', query.texte);
    params.set('page', String(target));
    return `/annuaire?${params.toString()}`;
  };
  return {
    page,
    pages,
    previous: page > 1 ? hrefOf(page - 1) : null,
    next: page < pages ? hrefOf(page + 1) : null,
  };
}

function serviceDetailOf(service: DirectoryService, communeName: (code: string) => string | null) {
  return {
    ...serviceListItemOf(service),
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
export function mountDirectoryPages(router: Router, deps: PagesDependencies, directories: DirectoryCache): void {
  router.get('/annuaire', async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'directory.read' }, req, res);
    const query = directoryQueryOf(req.query);
    const [filters, found] = await Promise.all([
      directoryFiltersOf(directories, agent, query),
      searchDirectoryPage(directories, agent, query),
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
  });

  router.get('/annuaire/services/:serviceId', async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'directory.read' }, req, res);
    const serviceId = z.string().min(1).max(200).safeParse(req.params.serviceId);
    const service = serviceId.success ? await getDirectoryService(directories, serviceId.data, { agent }) : null;
    if (!service) throw new AppError('not_found', 'Ce service ne figure pas dans l’annuaire du territoire.');
    const { index } = await directories.directoryOf(agent.territoryId);
    await renderPage(
      deps,
      req,
      res,
      'directory-service',
      { title: `${service.name} — annuaire`, service: serviceDetailOf(service, (code) => index.communeName(code)) },
      { nav: 'directory' },
    );
  });

  router.get(directoryImportPagePath, async (req, res) => {
    await callerOf(deps, { kind: 'acting', permission: 'directory.import' }, req, res);
    await renderImport(deps, req, res, { error: null, text: '', report: null });
  });

  /** A file (multipart) or pasted JSON; the report is shown at once (nothing to redirect to: it is not stored). */
  router.post(directoryImportPagePath, async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'directory.import' }, req, res);
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
      const report = await importDirectory(deps.db, directories, input, deskCallOf(deps, agent, res));
      await renderImport(deps, req, res, { error: null, text: '', report });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
      const reason = error.details.errors?.[0]?.message;
      return retry(`${error.message}${reason ? ` ${reason.charAt(0).toUpperCase()}${reason.slice(1)}.` : ''}`);
    }
  });
}
