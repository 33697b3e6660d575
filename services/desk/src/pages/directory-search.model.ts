import {
  type applicationModes,
  type DirectoryService,
  isVerificationStale,
  type PermanenceMode,
  type Public,
} from '@parcours/directory';
import { bundleLabel, serviceBundles } from '@parcours/vocabulary';
import { z } from 'zod';
import type { ListedService } from '../features/directory/directory.schemas.ts';
import type { DirectoryCache, ReferralRoute } from '../features/directory/directory-cache.ts';
import { searchServices } from '../features/directory/search-services.ts';
import { referralPurposeOf } from '../features/orientation/referral-purpose.ts';
import type { ActingAgent } from '../policy/access-policy.ts';

export const pageSize = 20;

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

export const publicLabels: Record<Public, string> = {
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
export const costLabels: Record<DirectoryService['cost']['kind'], string> = {
  free: 'Gratuit',
  paid: 'Payant',
  income_based: 'Selon les ressources',
};
export const applicationModeLabels: Record<(typeof applicationModes)[number], string> = {
  walk_in: 'Sans rendez-vous',
  appointment: 'Sur rendez-vous',
  phone: 'Par téléphone',
  email: 'Par courriel',
  online: 'En ligne',
  referral: 'Sur orientation d’un professionnel',
};
export const permanenceModeLabels: Record<PermanenceMode, string> = {
  itinerant: 'Itinérant',
  visio: 'Visioconférence',
  on_site: 'Permanence sur place',
};
export const frequencyLabels: Record<string, string> = {
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

/** How a referral reaches a service, in the same words on every page (directory, suggestions, choice). */
const referralRouteBadges: Record<ReferralRoute, { label: string; badge: string }> = {
  parcours: { label: 'Reçoit les orientations par Parcours', badge: 'fr-badge--success' },
  signed_link: { label: 'Reçoit les orientations par un lien sécurisé (aucun agent dans Parcours)', badge: 'fr-badge--info' },
  not_linked: { label: 'Rattaché à aucune structure de Parcours : contact direct', badge: '' },
  none: { label: 'Pas d’orientation par Parcours : contact direct', badge: '' },
};

export function referralRouteOf(route: ReferralRoute) {
  return {
    code: route,
    ...referralRouteBadges[route],
    viaLink: route === 'signed_link',
    direct: route === 'not_linked' || route === 'none',
  };
}

/**
 * What a list shows of a service: name, organisation, bundles, waiting time, how referrals reach it, and whether
 * its information was verified within the territory's freshness period (`today`, Paris date).
 */
export function serviceListItemOf(service: ListedService, today: string, freshnessMonths: number) {
  return {
    stale: isVerificationStale(service.lastVerifiedAt, today, freshnessMonths),
    freshnessMonths,
    lastVerifiedAt: service.lastVerifiedAt,
    id: service.id,
    name: service.name,
    organisationName: service.organisation.name,
    bundles: service.bundles.map((code) => bundleLabel(code)),
    waitingTime: waitingTimeLabel(service.waitingTimeDays),
    acceptsReferrals: service.acceptsReferrals,
    route: referralRouteOf(service.referralRoute),
    /** The purpose a referral to it gets by default, from its first bundle. */
    purpose: referralPurposeOf({ bundles: service.bundles }),
    itinerant: service.permanences.some((permanence) => permanence.mode === 'itinerant'),
    visio: service.permanences.some((permanence) => permanence.mode === 'visio'),
  };
}

/** One page of a directory search, from the search form's query. */
export async function searchDirectoryPage(
  directories: DirectoryCache,
  agent: ActingAgent,
  query: DirectoryQuery,
  size: number,
  /** Paris date: a service is flagged when its last verification is older than the territory's period. */
  today: string,
) {
  const { index } = await directories.directoryOf(agent.territoryId);
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
  return { ...found, items: found.items.map((service) => serviceListItemOf(service, today, index.freshnessMonths)) };
}

export function pagerOf(query: DirectoryQuery, total: number) {
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
