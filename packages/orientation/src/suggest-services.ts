import {
  type AssessmentAnswers,
  type AssessmentForm,
  identifiedNeeds,
  type NeedLevel,
  needLevelLabels,
  type Urgency,
} from '@parcours/assessment';
import {
  type DirectoryIndex,
  type DirectoryService,
  type IndexedService,
  isVerificationStale,
  type Proximity,
  type Public,
  proximityOf,
  weekdayLabels,
} from '@parcours/directory';
import type { BundleCode } from '@parcours/vocabulary';
import { type OrientationRules, orientationRulesV1 } from './orientation-rules.ts';

export interface OrientationNeed {
  domain: string;
  level: NeedLevel;
  /** Missing counts as routine. */
  urgency?: Urgency | undefined;
}

export interface OrientationRequest {
  needs: readonly OrientationNeed[];
  /** INSEE code of the person's commune. */
  communeCode: string;
  /** At most this many suggestions; the rules' maxSuggestions by default. */
  limit?: number | undefined;
  /**
   * The publics the person belongs to (young_people, seniors…), when the agent gives them: services
   * reserved to other publics are then left out. Services open to `all` always stay.
   */
  personPublics?: readonly Public[] | undefined;
  /** The publics the person is known to belong to (`knownPublicsOfPerson`): a service reserved to one is made for her. */
  knownPublics?: readonly Public[] | undefined;
  /** Today (`YYYY-MM-DD`): a service not verified for six months says so in its reasons (the ranking is unchanged). */
  today?: string | undefined;
}

export interface MatchedNeed {
  domain: string;
  level: Exclude<NeedLevel, 'none'>;
  urgency: Urgency;
  /** The bundles through which the service answers this need. */
  bundles: BundleCode[];
}

export interface Suggestion {
  /** 1-based. */
  rank: number;
  serviceId: string;
  service: DirectoryService;
  score: number;
  matchedNeeds: MatchedNeed[];
  proximity: Proximity;
  /** Points per factor: the explanation in numbers. */
  points: {
    need: number;
    additionalNeeds: number;
    acceptsReferrals: number;
    proximity: number;
    waitingTime: number;
    targetedPublic: number;
  };
  /** The explanation in French, one part per factor. */
  reasons: string[];
  /** The parts joined: "besoin : logement, sévère ; dessert Laragne-Montéglin ; accepte les orientations ; délai d’attente 10 jours". */
  reason: string;
}

const urgencyWords: Record<Urgency, string | null> = {
  routine: null,
  soon: 'à traiter rapidement',
  urgent: 'urgent',
  immediate: 'immédiat',
};
const permanenceWords = {
  itinerant: 'passage itinérant',
  visio: 'permanence en visio',
  on_site: 'permanence sur place',
} as const;

function waitingPoints(rules: OrientationRules, days: number | null): number {
  if (days === null) return rules.weights.waitingUnknown;
  return rules.weights.waitingTime.find((bracket) => days <= bracket.upToDays)?.points ?? rules.weights.waitingBeyondLastBracket;
}

function needPoints(rules: OrientationRules, need: MatchedNeed): number {
  return rules.weights.needLevel[need.level] + rules.weights.urgency[need.urgency];
}

function describeNeeds(rules: OrientationRules, needs: MatchedNeed[]): string {
  const parts = needs.map((need) => {
    const label = rules.domains[need.domain]?.label ?? need.domain;
    const urgency = urgencyWords[need.urgency];
    return `${label}, ${needLevelLabels[need.level]}${urgency ? `, ${urgency}` : ''}`;
  });
  return `${needs.length > 1 ? 'besoins' : 'besoin'} : ${parts.join(' ; ')}`;
}

function describeProximity(index: DirectoryIndex, entry: IndexedService, proximity: Proximity, communeCode: string): string {
  const communeName = index.communeName(communeCode) ?? communeCode;
  switch (proximity) {
    case 'same_commune': {
      if (entry.service.locations.some((location) => location.address.communeCode === communeCode))
        return `accueil à ${communeName}`;
      const permanence = entry.service.permanences.find((candidate) => candidate.communeCode === communeCode);
      return permanence
        ? `${permanenceWords[permanence.mode]} à ${communeName} le ${weekdayLabels[permanence.weekday]}`
        : `présent à ${communeName}`;
    }
    case 'same_bassin': {
      const bassin = index.bassinOf(communeCode);
      return bassin ? `présent dans le bassin de vie (${bassin.name})` : 'présent dans le bassin de vie';
    }
    case 'departement':
      return 'présent ailleurs dans le département';
    case 'remote_only':
      return 'à distance (téléphone, en ligne)';
  }
}

function describeWaiting(days: number | null): string {
  if (days === null) return 'délai d’attente inconnu';
  if (days === 0) return 'sans délai d’attente';
  return `délai d’attente ${days} jour${days > 1 ? 's' : ''}`;
}

const publicLabels: Partial<Record<Public, string>> = {
  young_people: 'des jeunes',
  families: 'des familles',
  seniors: 'des personnes âgées',
  people_with_disabilities: 'des personnes en perte d’autonomie ou handicapées',
  jobseekers: 'des demandeurs d’emploi',
  minimum_income_recipients: 'des bénéficiaires de minima sociaux',
  students: 'des étudiants',
  homeless: 'des personnes sans domicile',
  workers: 'des actifs',
  carers: 'des aidants',
};
const publicWords = (publics: readonly Public[], known: ReadonlySet<Public>) =>
  publics
    .filter((target) => known.has(target))
    .map((target) => publicLabels[target] ?? target)
    .join(', ');

const byScoreThenId = (a: { score: number; entry: IndexedService }, b: { score: number; entry: IndexedService }) =>
  b.score - a.score || (a.entry.service.id < b.entry.service.id ? -1 : a.entry.service.id > b.entry.service.id ? 1 : 0);

/**
 * Ranks the services that serve the person's commune and answer at least one of their needs (level
 * other than none), with the reason for each. Deterministic: the same needs, commune, directory and
 * rules give the same list, whatever the order of needs or services; ties go to the smaller service id.
 */
export function suggestServices(
  index: DirectoryIndex,
  request: OrientationRequest,
  rules: OrientationRules = orientationRulesV1,
): Suggestion[] {
  const byBundle = index.byCommuneBundle.get(request.communeCode);
  if (!byBundle) return [];
  // One need per domain, the strongest, so that duplicated input does not count twice.
  const needs = new Map<string, MatchedNeed>();
  for (const need of request.needs) {
    if (need.level === 'none' || !rules.domains[need.domain]) continue;
    const candidate: MatchedNeed = { domain: need.domain, level: need.level, urgency: need.urgency ?? 'routine', bundles: [] };
    const previous = needs.get(need.domain);
    if (!previous || needPoints(rules, candidate) > needPoints(rules, previous)) needs.set(need.domain, candidate);
  }
  const publics = request.personPublics ? new Set<Public>(request.personPublics) : null;
  const isOpenTo = (entry: IndexedService) =>
    !publics || entry.service.publics.some((target) => target === 'all' || publics.has(target));
  const known = new Set<Public>(request.knownPublics ?? []);
  const targeted = (entry: IndexedService) =>
    !entry.service.publics.includes('all') && entry.service.publics.some((target) => known.has(target));
  const matches = new Map<IndexedService, Map<string, MatchedNeed>>();
  for (const need of [...needs.values()].sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0))) {
    for (const bundle of rules.domains[need.domain]?.bundles ?? []) {
      for (const entry of byBundle.get(bundle) ?? []) {
        if (!isOpenTo(entry)) continue;
        let matched = matches.get(entry);
        if (!matched) {
          matched = new Map();
          matches.set(entry, matched);
        }
        const existing = matched.get(need.domain);
        if (existing) existing.bundles.push(bundle);
        else matched.set(need.domain, { ...need, bundles: [bundle] });
      }
    }
  }
  // A service carrying a bundle it is *for* (rules.exclusiveBundles) stays only if a need came through it.
  for (const [entry, matched] of matches) {
    const through = new Set([...matched.values()].flatMap((need) => need.bundles));
    const main = entry.service.bundles[0];
    if (main && rules.exclusiveBundles.includes(main) && !through.has(main)) {
      matches.delete(entry);
    }
  }
  const scored = [...matches].map(([entry, matched]) => {
    const matchedNeeds = [...matched.values()].sort(
      (a, b) => needPoints(rules, b) - needPoints(rules, a) || (a.domain < b.domain ? -1 : 1),
    );
    const proximity = proximityOf(index, entry, request.communeCode);
    const points = {
      need: needPoints(rules, matchedNeeds[0] as MatchedNeed),
      additionalNeeds: rules.weights.additionalNeed * (matchedNeeds.length - 1),
      acceptsReferrals: entry.service.acceptsReferrals ? rules.weights.acceptsReferrals : 0,
      proximity: rules.weights.proximity[proximity],
      waitingTime: waitingPoints(rules, entry.service.waitingTimeDays),
      targetedPublic: targeted(entry) ? rules.weights.targetedPublic : 0,
    };
    const score =
      points.need +
      points.additionalNeeds +
      points.acceptsReferrals +
      points.proximity +
      points.waitingTime +
      points.targetedPublic;
    return { entry, matchedNeeds, proximity, points, score };
  });
  scored.sort(byScoreThenId);
  const limit = request.limit ?? rules.maxSuggestions;
  return scored.slice(0, limit).map(({ entry, matchedNeeds, proximity, points, score }, position) => {
    const communeName = index.communeName(request.communeCode) ?? request.communeCode;
    const reasons = [
      describeNeeds(rules, matchedNeeds),
      ...(points.targetedPublic > 0 ? [`s’adresse à ${publicWords(entry.service.publics, known)}`] : []),
      `dessert ${communeName}`,
      describeProximity(index, entry, proximity, request.communeCode),
      entry.service.acceptsReferrals ? 'accepte les orientations' : 'orientation hors Parcours (contact direct)',
      describeWaiting(entry.service.waitingTimeDays),
      ...(request.today && isVerificationStale(entry.service.lastVerifiedAt, request.today, index.freshnessMonths)
        ? [`fiche vérifiée le ${entry.service.lastVerifiedAt.split('-').reverse().join('/')} : à confirmer auprès du service`]
        : []),
    ];
    return {
      rank: position + 1,
      serviceId: entry.service.id,
      service: entry.service,
      score,
      matchedNeeds,
      proximity,
      points,
      reasons,
      reason: reasons.join(' ; '),
    };
  });
}

/** Suggestions for a (completed) assessment: its identified needs, in the person's commune. */
export function suggestForAssessment(
  index: DirectoryIndex,
  input: {
    form: AssessmentForm;
    answers: AssessmentAnswers;
    communeCode: string;
    limit?: number;
    personPublics?: readonly Public[];
    knownPublics?: readonly Public[];
    today?: string;
  },
  rules: OrientationRules = orientationRulesV1,
): Suggestion[] {
  const needs = identifiedNeeds(input.form, input.answers).map((need) => ({
    domain: need.domain,
    level: need.level,
    urgency: need.urgency,
  }));
  return suggestServices(
    index,
    {
      needs,
      communeCode: input.communeCode,
      limit: input.limit,
      personPublics: input.personPublics,
      knownPublics: input.knownPublics,
      today: input.today,
    },
    rules,
  );
}
