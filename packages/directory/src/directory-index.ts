import type { BundleCode } from '@parcours/vocabulary';
import type { DirectoryService } from './directory.schema.ts';

/** The territory's communes and bassins de vie, e.g. `communesOf('05')` and `bassinsDeVieOf('05')`. */
export interface Geography {
  communes: ReadonlyArray<{ code: string; name: string }>;
  bassinsDeVie: ReadonlyArray<{ code: string; name: string; communes: readonly string[] }>;
}

/**
 * How far the person goes to reach the service, from where the service is present (premises,
 * itinerant stops, on-site or visio permanences at a reception point):
 * same commune, same bassin de vie, elsewhere in the département, or remote only (phone, online).
 */
export const proximities = ['same_commune', 'same_bassin', 'departement', 'remote_only'] as const;
export type Proximity = (typeof proximities)[number];

export interface IndexedService {
  service: DirectoryService;
  /** INSEE codes where the service is present. */
  presenceCommunes: ReadonlySet<string>;
  /** Bassins de vie where the service is present. */
  presenceBassins: ReadonlySet<string>;
}

export interface DirectoryIndex {
  /** Active services, sorted by id. */
  readonly services: readonly IndexedService[];
  readonly byId: ReadonlyMap<string, IndexedService>;
  /** commune → bundle → services serving that commune in that bundle, sorted by id. */
  readonly byCommuneBundle: ReadonlyMap<string, ReadonlyMap<BundleCode, readonly IndexedService[]>>;
  communeName(code: string): string | null;
  bassinOf(code: string): { code: string; name: string } | null;
  /** After how many months without verification a service of this territory is to be checked again. */
  readonly freshnessMonths: number;
}

const byId = (a: { service: DirectoryService }, b: { service: DirectoryService }) =>
  a.service.id < b.service.id ? -1 : a.service.id > b.service.id ? 1 : 0;

/**
 * Indexes active services by commune served and bundle, so that a lookup touches only the services
 * that serve the person's commune in the bundles of their needs. Built once per directory version.
 */
export function buildDirectoryIndex(
  services: readonly DirectoryService[],
  geography: Geography = { communes: [], bassinsDeVie: [] },
  options: { freshnessMonths?: number } = {},
): DirectoryIndex {
  const names = new Map(geography.communes.map((commune) => [commune.code, commune.name]));
  const bassins = new Map<string, { code: string; name: string }>();
  for (const bassin of geography.bassinsDeVie) {
    for (const commune of bassin.communes) bassins.set(commune, { code: bassin.code, name: bassin.name });
  }
  const indexed: IndexedService[] = services
    .filter((service) => service.active)
    .map((service) => {
      const presenceCommunes = new Set([
        ...service.locations.map((location) => location.address.communeCode),
        ...service.permanences.map((permanence) => permanence.communeCode),
      ]);
      const presenceBassins = new Set([...presenceCommunes].flatMap((commune) => bassins.get(commune)?.code ?? []));
      return { service, presenceCommunes, presenceBassins };
    })
    .sort(byId);
  const byCommuneBundle = new Map<string, Map<BundleCode, IndexedService[]>>();
  for (const entry of indexed) {
    for (const commune of entry.service.communesServed) {
      let bundles = byCommuneBundle.get(commune);
      if (!bundles) {
        bundles = new Map();
        byCommuneBundle.set(commune, bundles);
      }
      for (const bundle of entry.service.bundles) {
        const list = bundles.get(bundle);
        if (list) list.push(entry);
        else bundles.set(bundle, [entry]);
      }
    }
  }
  return {
    services: indexed,
    byId: new Map(indexed.map((entry) => [entry.service.id, entry])),
    byCommuneBundle,
    communeName: (code) => names.get(code) ?? null,
    bassinOf: (code) => bassins.get(code) ?? null,
    freshnessMonths: options.freshnessMonths ?? defaultFreshnessMonths,
  };
}

export function proximityOf(index: DirectoryIndex, entry: IndexedService, communeCode: string): Proximity {
  if (entry.presenceCommunes.size === 0) return 'remote_only';
  if (entry.presenceCommunes.has(communeCode)) return 'same_commune';
  const bassin = index.bassinOf(communeCode);
  if (bassin && entry.presenceBassins.has(bassin.code)) return 'same_bassin';
  return 'departement';
}

export interface ServiceSearch {
  bundle?: BundleCode | undefined;
  communeCode?: string | undefined;
  /** Words searched in the service's name, description and organisation name, accents and case ignored. */
  text?: string | undefined;
  acceptsReferrals?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface ServiceSearchResult {
  total: number;
  services: DirectoryService[];
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

const searchableWords = new WeakMap<DirectoryService, readonly string[]>();

/** Small words an acronym skips: « Allocation personnalisée d’autonomie » is APA. */
const acronymSkipped = new Set(['de', 'du', 'des', 'd', 'la', 'le', 'les', 'l', 'et', 'a', 'au', 'aux', 'pour', 'en']);

const wordsOf = (text: string) =>
  fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** The words of a service's names and description, and the acronyms of its names. */
function searchableOf(service: DirectoryService): readonly string[] {
  let words = searchableWords.get(service);
  if (words === undefined) {
    // The initials of each part of a name (« Allocation personnalisée d’autonomie — évaluation à domicile »
    // is APA), and of the whole.
    const parts = [service.name, service.organisation.name].flatMap((name) => [name, ...name.split(/[—–(),:;]/)]);
    const acronyms = parts
      .map((part) =>
        wordsOf(part)
          .filter((word) => !acronymSkipped.has(word))
          .map((word) => word[0])
          .join(''),
      )
      .filter((acronym) => acronym.length >= 2);
    words = [...new Set([...wordsOf(`${service.name} ${service.organisation.name} ${service.description}`), ...acronyms])];
    searchableWords.set(service, words);
  }
  return words;
}

/**
 * A typed word finds a whole word (or acronym) of the service; from four letters on, also the start of one
 * (« logem » finds « logement »). Never the inside of a word: « APA » does not find « CSAPA ».
 */
function matchesWord(words: readonly string[], typed: string): boolean {
  return words.some((word) => word === typed || (typed.length >= 4 && word.startsWith(typed)));
}

/** Directory browsing: by bundle, commune served, words; results sorted by id, paginated. */
export function searchServices(index: DirectoryIndex, query: ServiceSearch): ServiceSearchResult {
  let candidates: readonly IndexedService[];
  if (query.communeCode !== undefined) {
    const bundles = index.byCommuneBundle.get(query.communeCode);
    if (!bundles) return { total: 0, services: [] };
    if (query.bundle !== undefined) candidates = bundles.get(query.bundle) ?? [];
    else candidates = [...new Set([...bundles.values()].flat())].sort(byId);
  } else {
    candidates =
      query.bundle === undefined
        ? index.services
        : index.services.filter((entry) => entry.service.bundles.includes(query.bundle as BundleCode));
  }
  const words = query.text ? wordsOf(query.text) : [];
  const matching = candidates.filter(
    (entry) =>
      (query.acceptsReferrals === undefined || entry.service.acceptsReferrals === query.acceptsReferrals) &&
      words.every((word) => matchesWord(searchableOf(entry.service), word)),
  );
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  return { total: matching.length, services: matching.slice(offset, offset + limit).map((entry) => entry.service) };
}

/** A service's information is to be checked again after this many months without verification (issue 20). */
export const defaultFreshnessMonths = 6;

/**
 * The territory's freshness period, from its settings (`{ directory: { staleAfterMonths } }`, 1 to 60 months),
 * else the default: a territory whose services change little may check them yearly, a busy one quarterly.
 */
export function freshnessMonthsOf(settings: unknown): number {
  const value = (settings as { directory?: { staleAfterMonths?: unknown } } | null)?.directory?.staleAfterMonths;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 60 ? value : defaultFreshnessMonths;
}

/** Whether a service verified on `lastVerifiedAt` (`YYYY-MM-DD`) is older than `months` on `today` (`YYYY-MM-DD`). */
export function isVerificationStale(lastVerifiedAt: string, today: string, months = defaultFreshnessMonths): boolean {
  const [year, month, day] = lastVerifiedAt.split('-').map(Number) as [number, number, number];
  const limit = new Date(Date.UTC(year, month - 1 + months, day));
  return limit.toISOString().slice(0, 10) < today;
}
