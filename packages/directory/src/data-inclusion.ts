import type { BundleCode, OrganisationKind } from '@parcours/vocabulary';
import type { DirectoryService, Public, Weekday } from './directory.schema.ts';
import type { RejectedRow } from './directory-file.ts';
import { slugOf } from './directory-id.ts';
import { exchangeRowFaults } from './exchange-validation.ts';

/**
 * data·inclusion v1 (schema v1.0.8, the national format DORA and the data·inclusion API publish) in and out of
 * the Parcours directory. Pure: the mapping tables are data, the territory's geography is passed in. The README
 * lists what each direction loses.
 */

/** Every one of the 69 thematiques of data·inclusion, placed in one of the 18 bundles. */
export const thematiqueBundles: Record<string, BundleCode> = {
  'choisir-un-metier--confirmer-son-choix-de-metier': 'emploi',
  'choisir-un-metier--connaitre-les-opportunites-demploi': 'emploi',
  'choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite': 'emploi',
  'choisir-un-metier--identifier-ses-points-forts-et-ses-competences': 'emploi',
  'creer-une-entreprise--definir-son-projet-de-creation-dentreprise': 'economie-creation-activite',
  'creer-une-entreprise--developper-son-entreprise': 'economie-creation-activite',
  'creer-une-entreprise--structurer-son-projet-de-creation-dentreprise': 'economie-creation-activite',
  'difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives': 'formalites-administratives',
  'difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete': 'formalites-administratives',
  'difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits': 'prestations-sociales',
  'difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte': 'aide-accompagnement-social',
  'difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination': 'justice-droit',
  'difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire': 'justice-droit',
  'difficultes-financieres--acquerir-une-autonomie-budgetaire': 'services-marchands-publics',
  'difficultes-financieres--ameliorer-sa-gestion-budgetaire': 'services-marchands-publics',
  'difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere': 'justice-droit',
  'difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere': 'services-marchands-publics',
  'difficultes-financieres--situation-dendettement-surendettement': 'services-marchands-publics',
  'equipement-et-alimentation--aide-menagere': 'services-a-domicile',
  'equipement-et-alimentation--alimentation': 'aide-accompagnement-social',
  'equipement-et-alimentation--electromenager': 'services-marchands-prives',
  'equipement-et-alimentation--habillement': 'services-marchands-prives',
  'famille--garde-denfants': 'petite-enfance',
  'famille--prise-en-charge-personne-dependante': 'services-a-domicile',
  'famille--soutien-a-la-parentalite-et-a-leducation': 'education',
  'famille--soutien-aidants': 'services-a-domicile',
  'famille--surmonter-conflits-separation-violence': 'securite',
  'lecture-ecriture-calcul--maitriser-le-calcul': 'formation-professionnelle',
  'lecture-ecriture-calcul--maitriser-le-francais': 'formation-professionnelle',
  'logement-hebergement--acheter-un-logement': 'hebergement-logement',
  'logement-hebergement--changer-de-logement': 'hebergement-logement',
  'logement-hebergement--louer-un-logement': 'hebergement-logement',
  'logement-hebergement--rechercher-une-solution-dhebergement-temporaire': 'hebergement-logement',
  'logement-hebergement--reduire-les-impayes-de-loyer': 'hebergement-logement',
  'logement-hebergement--se-maintenir-dans-le-logement': 'hebergement-logement',
  'logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement': 'hebergement-logement',
  'mobilite--acceder-a-un-vehicule': 'transport',
  'mobilite--entretenir-reparer-son-vehicule': 'transport',
  'mobilite--etre-accompagne-dans-son-parcours-mobilite': 'transport',
  'mobilite--financer-ma-mobilite': 'transport',
  'mobilite--mobilite-douce-partagee-collective': 'transport',
  'mobilite--preparer-un-permis': 'transport',
  'numerique--acceder-a-des-services-en-ligne': 'information-orientation',
  'numerique--acceder-a-une-connexion-internet': 'information-orientation',
  'numerique--acquerir-un-equipement': 'services-marchands-prives',
  'numerique--maitriser-les-fondamentaux-du-numerique': 'information-orientation',
  'preparer-sa-candidature--developper-son-reseau': 'emploi',
  'preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi': 'emploi',
  'preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation': 'emploi',
  'preparer-sa-candidature--valoriser-ses-competences': 'emploi',
  'remobilisation--activites-sportives-et-culturelles': 'culture-sport-loisirs',
  'remobilisation--benevolat-action-citoyenne': 'culture-sport-loisirs',
  'remobilisation--bien-etre-confiance-en-soi': 'aide-accompagnement-social',
  'remobilisation--lien-social': 'aide-accompagnement-social',
  'sante--acces-aux-soins': 'sante',
  'sante--addictions': 'sante',
  'sante--constituer-un-dossier-mdph-invalidite': 'prestations-sociales',
  'sante--sante-mentale': 'sante',
  'sante--sante-sexuelle': 'sante',
  'se-former--monter-son-dossier-de-formation': 'formation-professionnelle',
  'se-former--trouver-sa-formation': 'formation-professionnelle',
  'souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger': 'emploi',
  'souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger': 'emploi',
  'souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france': 'formalites-administratives',
  'trouver-un-emploi--convaincre-un-recruteur-en-entretien': 'emploi',
  'trouver-un-emploi--faire-des-candidatures-spontanees': 'emploi',
  'trouver-un-emploi--maintien-dans-lemploi': 'emploi',
  'trouver-un-emploi--repondre-a-des-offres-demploi': 'emploi',
  'trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs': 'emploi',
};

/**
 * The thematique a bundle is exported as: one whose import gives the bundle back (a round trip keeps it). A
 * bundle no thematique stands for is not exported (README: what is lost).
 */
export const bundleThematique: Partial<Record<BundleCode, string>> = {
  'information-orientation': 'numerique--acceder-a-des-services-en-ligne',
  securite: 'famille--surmonter-conflits-separation-violence',
  'justice-droit': 'difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire',
  'formalites-administratives': 'difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives',
  'prestations-sociales': 'difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits',
  'petite-enfance': 'famille--garde-denfants',
  education: 'famille--soutien-a-la-parentalite-et-a-leducation',
  sante: 'sante--acces-aux-soins',
  'services-a-domicile': 'famille--prise-en-charge-personne-dependante',
  'aide-accompagnement-social': 'difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte',
  emploi: 'trouver-un-emploi--repondre-a-des-offres-demploi',
  'economie-creation-activite': 'creer-une-entreprise--definir-son-projet-de-creation-dentreprise',
  'formation-professionnelle': 'se-former--trouver-sa-formation',
  'hebergement-logement': 'logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement',
  transport: 'mobilite--etre-accompagne-dans-son-parcours-mobilite',
  'culture-sport-loisirs': 'remobilisation--activites-sportives-et-culturelles',
  'services-marchands-publics': 'difficultes-financieres--ameliorer-sa-gestion-budgetaire',
  'services-marchands-prives': 'equipement-et-alimentation--habillement',
};

/** Publics both ways; `carers` has no data·inclusion public (exported in `publics_precisions`). */
export const publicToDataInclusion: Partial<Record<Public, string>> = {
  all: 'tous-publics',
  young_people: 'jeunes',
  families: 'familles',
  seniors: 'seniors',
  people_with_disabilities: 'personnes-en-situation-de-handicap',
  jobseekers: 'demandeurs-emploi',
  minimum_income_recipients: 'beneficiaires-des-minimas-sociaux',
  women: 'femmes',
  migrants: 'personnes-exilees',
  students: 'etudiants',
  homeless: 'personnes-en-situation-durgence',
  workers: 'actifs',
};
const publicFromDataInclusion = new Map(Object.entries(publicToDataInclusion).map(([ours, theirs]) => [theirs, ours as Public]));

const osmDays: Record<Weekday, string> = { MO: 'Mo', TU: 'Tu', WE: 'We', TH: 'Th', FR: 'Fr', SA: 'Sa', SU: 'Su' };

export interface DataInclusionStructure {
  source: string;
  id: string;
  nom: string;
  date_maj: string;
  siret?: string | null;
  telephone?: string | null;
  courriel?: string | null;
  site_web?: string | null;
  [field: string]: unknown;
}

export interface DataInclusionService {
  source: string;
  structure_id: string;
  id: string;
  nom: string;
  description: string;
  date_maj: string;
  thematiques?: string[] | null;
  publics?: string[] | null;
  publics_precisions?: string | null;
  frais?: 'gratuit' | 'payant' | null;
  frais_precisions?: string | null;
  conditions_acces?: string | null;
  modes_accueil?: Array<'a-distance' | 'en-presentiel'> | null;
  modes_mobilisation?: string[] | null;
  mobilisable_par?: Array<'usagers' | 'professionnels'> | null;
  mobilisation_precisions?: string | null;
  lien_mobilisation?: string | null;
  telephone?: string | null;
  courriel?: string | null;
  adresse?: string | null;
  code_postal?: string | null;
  code_insee?: string | null;
  commune?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  horaires_accueil?: string | null;
  zone_eligibilite?: string[] | null;
  [field: string]: unknown;
}

export interface DataInclusionFile {
  structures: DataInclusionStructure[];
  services: DataInclusionService[];
}

/** The territory as data·inclusion's zones need it: a département's communes, to write and read `zone_eligibilite`. */
export interface ZoneGeography {
  communesOfDepartement(departement: string): readonly string[];
  communesOfEpci?(siren: string): readonly string[];
}

const source = 'parcours';
const structureIdOf = (organisationId: string) => `${source}--${organisationId}`;

/** A département whose communes the service all serves is written as the département's code. */
function zoneOf(service: DirectoryService, geography: ZoneGeography): string[] {
  const served = new Set(service.communesServed);
  const departements = [
    ...new Set(service.communesServed.map((code) => (code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2)))),
  ];
  const zone: string[] = [];
  const covered = new Set<string>();
  for (const departement of departements) {
    const all = geography.communesOfDepartement(departement);
    if (all.length > 0 && all.every((code) => served.has(code))) {
      zone.push(departement);
      for (const code of all) covered.add(code);
    }
  }
  return [...zone, ...service.communesServed.filter((code) => !covered.has(code))];
}

/** Opening hours in OpenStreetMap's `opening_hours` syntax, as data·inclusion asks (« Mo 09:00-12:00; Tu … »). */
function openingHoursOf(service: DirectoryService): string | null {
  const location = service.locations[0];
  if (!location || location.openingHours.length === 0) return null;
  return location.openingHours.map((slot) => `${osmDays[slot.weekday]} ${slot.opens}-${slot.closes}`).join('; ');
}

/** The Parcours directory as a data·inclusion file: one structure per organisation, one service each. */
export function toDataInclusion(services: readonly DirectoryService[], geography: ZoneGeography): DataInclusionFile {
  const structures = new Map<string, DataInclusionStructure>();
  for (const service of services) {
    const previous = structures.get(service.organisation.id);
    if (previous && previous.date_maj >= service.lastVerifiedAt) continue;
    structures.set(service.organisation.id, {
      source,
      id: structureIdOf(service.organisation.id),
      nom: service.organisation.name,
      date_maj: service.lastVerifiedAt,
      siret: service.organisation.siret ?? null,
    });
  }
  return {
    structures: [...structures.values()],
    services: services.map((service) => {
      const location = service.locations.find((candidate) => candidate.kind === 'premises') ?? service.locations[0];
      const modes = new Set(service.howToApply.modes);
      const remote =
        modes.has('phone') || modes.has('online') || modes.has('email') || service.permanences.some((p) => p.mode === 'visio');
      const mobilisation = [
        ...(modes.has('email') && service.contact.email ? ['envoyer-un-courriel'] : []),
        ...(modes.has('walk_in') ? ['se-presenter'] : []),
        ...(modes.has('phone') && service.contact.phone ? ['telephoner'] : []),
        ...(modes.has('online') && service.contact.website ? ['utiliser-lien-mobilisation'] : []),
      ];
      const thematiques = [...new Set(service.bundles.flatMap((bundle) => bundleThematique[bundle] ?? []))];
      const publics = [...new Set(service.publics.flatMap((target) => publicToDataInclusion[target] ?? []))];
      return {
        source,
        structure_id: structureIdOf(service.organisation.id),
        id: `${source}--${service.id}`,
        nom: service.name.slice(0, 150),
        description: service.description,
        date_maj: service.lastVerifiedAt,
        thematiques: thematiques.length > 0 ? thematiques : null,
        publics: publics.length > 0 ? publics : null,
        publics_precisions: service.publics.includes('carers') ? 'Aidants' : null,
        frais: service.cost.kind === 'free' ? 'gratuit' : 'payant',
        frais_precisions:
          service.cost.kind === 'income_based'
            ? `Selon les ressources${service.cost.description ? ` : ${service.cost.description}` : '.'}`
            : (service.cost.description ?? null),
        conditions_acces: service.eligibility || null,
        modes_accueil: [...(location ? ['en-presentiel' as const] : []), ...(remote ? ['a-distance' as const] : [])],
        modes_mobilisation: mobilisation.length > 0 ? mobilisation : null,
        mobilisable_par: modes.has('referral') ? ['usagers', 'professionnels'] : ['usagers'],
        mobilisation_precisions: service.howToApply.description || null,
        lien_mobilisation: modes.has('online') ? (service.contact.website ?? null) : null,
        telephone: service.contact.phone ?? null,
        courriel: service.contact.email ?? null,
        adresse: location?.address.street ?? null,
        code_postal: location?.address.postalCode ?? null,
        code_insee: location?.address.communeCode ?? null,
        commune: location?.address.communeName ?? null,
        latitude: location?.latitude ?? null,
        longitude: location?.longitude ?? null,
        horaires_accueil: openingHoursOf(service),
        zone_eligibilite: zoneOf(service, geography),
      };
    }),
  };
}

export interface DataInclusionImportIssue {
  serviceId: string;
  message: string;
}

export interface DataInclusionImport {
  /** Services as the directory takes them (then validated by `DirectoryService`), the conforming rows only. */
  services: Array<Omit<DirectoryService, 'active'> & { active: boolean }>;
  /** For each of `services`, its 0-based position in the file's `services`. */
  sourceIndexes: number[];
  /** Service rows refused by the official schema, or whose structure was refused, with French reasons. */
  rejected: RejectedRow[];
  /** Structure rows refused by the official schema (`index` in the file's `structures`). */
  rejectedStructures: RejectedRow[];
  /** What a row carried that the directory cannot hold, or could not read: for the import report. */
  notes: DataInclusionImportIssue[];
}

/** The structures of a data·inclusion file, each checked against the official schema once. */
export interface DataInclusionStructuresRead {
  /** The conforming structures by id (the first of an id wins). */
  byId: Map<string, DataInclusionStructure>;
  /** Structure rows refused by the official schema (`index` in the file's `structures`). */
  rejected: RejectedRow[];
  /** Ids of the refused structures: their services are refused with them. */
  refusedIds: Set<string>;
}

export function readDataInclusionStructures(structures: readonly DataInclusionStructure[]): DataInclusionStructuresRead {
  const rejected: RejectedRow[] = [];
  const refusedIds = new Set<string>();
  const byId = new Map<string, DataInclusionStructure>();
  structures.forEach((structure, index) => {
    const reasons = exchangeRowFaults('data-inclusion-structure', structure);
    const id = typeof structure?.id === 'string' ? structure.id : null;
    if (reasons.length > 0) {
      rejected.push({ index, id, reasons });
      if (id) refusedIds.add(id);
    } else if (id && !byId.has(id)) byId.set(id, structure);
  });
  return { byId, rejected, refusedIds };
}

/**
 * A data·inclusion file read into the directory. Structures give the organisations (`kindOf` decides their kind,
 * e.g. from a Parcours organisation found by SIRET then name); `zone_eligibilite` is expanded to communes.
 */
export function fromDataInclusion(
  file: DataInclusionFile,
  geography: ZoneGeography,
  kindOf: (structure: DataInclusionStructure) => OrganisationKind = () => 'other',
  /**
   * For a file read in parts: its structures already read, and the position of `file.services`' first row in
   * the whole file (indexes in the result are the whole file's).
   */
  parts: { structuresRead?: DataInclusionStructuresRead; firstIndex?: number } = {},
): DataInclusionImport {
  const structuresRead = parts.structuresRead ?? readDataInclusionStructures(file.structures);
  const { byId: structures, refusedIds: refusedStructureIds } = structuresRead;
  const rejectedStructures = parts.structuresRead ? [] : structuresRead.rejected;
  const firstIndex = parts.firstIndex ?? 0;
  const notes: DataInclusionImportIssue[] = [];
  const rejected: RejectedRow[] = [];
  const sourceIndexes: number[] = [];
  const conforming = file.services.flatMap((row, position) => {
    const index = firstIndex + position;
    const reasons = exchangeRowFaults('data-inclusion-service', row);
    if (reasons.length === 0 && refusedStructureIds.has(row.structure_id)) {
      reasons.push(`structure_id : la structure ${row.structure_id} a été refusée (voir les structures)`);
    } else if (reasons.length === 0 && !structures.has(row.structure_id)) {
      // Without its structure a service has no organisation to show nor to match: data·inclusion drops it too.
      reasons.push(`structure_id : structure ${row.structure_id} absente du fichier`);
    }
    if (reasons.length > 0) {
      rejected.push({ index, id: typeof row?.id === 'string' ? row.id : null, reasons });
      return [];
    }
    sourceIndexes.push(index);
    return [row];
  });
  const services = conforming.map((row) => {
    const structure = structures.get(row.structure_id);
    const id = slugOf(row.id.startsWith(`${source}--`) ? row.id.slice(source.length + 2) : row.id);
    const bundles = [...new Set((row.thematiques ?? []).flatMap((thematique) => thematiqueBundles[thematique] ?? []))];
    for (const thematique of row.thematiques ?? []) {
      if (!thematiqueBundles[thematique]) notes.push({ serviceId: row.id, message: `thématique inconnue : ${thematique}` });
    }
    const publics = [...new Set((row.publics ?? []).flatMap((target) => publicFromDataInclusion.get(target) ?? []))];
    for (const target of row.publics ?? []) {
      if (!publicFromDataInclusion.has(target)) notes.push({ serviceId: row.id, message: `public sans équivalent : ${target}` });
    }
    if (row.publics_precisions === 'Aidants') publics.push('carers');
    const communes = new Set<string>();
    for (const zone of row.zone_eligibilite ?? []) {
      if (/^\w{5}$/.test(zone)) communes.add(zone);
      else if (/^\w{2,3}$/.test(zone)) for (const code of geography.communesOfDepartement(zone)) communes.add(code);
      else if (/^\d{9}$/.test(zone) && geography.communesOfEpci)
        for (const code of geography.communesOfEpci(zone)) communes.add(code);
      else notes.push({ serviceId: row.id, message: `zone d’éligibilité non reconnue : ${zone}` });
    }
    if (communes.size === 0 && row.code_insee) communes.add(row.code_insee);
    const mobilisation = new Set(row.modes_mobilisation ?? []);
    const modes = [
      ...(mobilisation.has('se-presenter') ? ['walk_in' as const] : []),
      ...(mobilisation.has('telephoner') ? ['phone' as const] : []),
      ...(mobilisation.has('envoyer-un-courriel') ? ['email' as const] : []),
      ...(mobilisation.has('utiliser-lien-mobilisation') ? ['online' as const] : []),
      ...((row.mobilisable_par ?? []).includes('professionnels') ? ['referral' as const] : []),
    ];
    const incomeBased = row.frais === 'payant' && (row.frais_precisions ?? '').startsWith('Selon les ressources');
    const costDescription = incomeBased
      ? (row.frais_precisions ?? '').replace(/^Selon les ressources(?: : |\.)?/, '') || undefined
      : (row.frais_precisions ?? undefined);
    const hasPremises = Boolean(row.adresse && row.code_postal && row.code_insee && row.commune);
    return {
      id,
      organisation: {
        id: slugOf(
          structure?.id.startsWith(`${source}--`) ? structure.id.slice(source.length + 2) : (structure?.id ?? row.structure_id),
        ),
        name: structure?.nom ?? row.structure_id,
        kind: structure ? kindOf(structure) : 'other',
        ...(structure?.siret ? { siret: structure.siret } : {}),
      },
      name: row.nom,
      description: row.description,
      bundles,
      publics: publics.length > 0 ? publics : ['all' as const],
      eligibility: row.conditions_acces ?? '',
      cost: {
        kind:
          row.frais === 'gratuit'
            ? ('free' as const)
            : incomeBased
              ? ('income_based' as const)
              : row.frais === 'payant'
                ? ('paid' as const)
                : ('free' as const),
        ...(costDescription ? { description: costDescription } : {}),
      },
      prerequisites: [],
      documents: [],
      howToApply: { modes: modes.length > 0 ? modes : ['phone' as const], description: row.mobilisation_precisions ?? '' },
      locations: hasPremises
        ? [
            {
              id: `${id}-lieu`,
              name: structure?.nom ?? row.nom,
              kind: 'premises' as const,
              address: {
                street: row.adresse as string,
                postalCode: row.code_postal as string,
                communeCode: row.code_insee as string,
                communeName: row.commune as string,
              },
              ...(row.latitude != null ? { latitude: row.latitude } : {}),
              ...(row.longitude != null ? { longitude: row.longitude } : {}),
              openingHours: openingHoursFrom(row.horaires_accueil ?? null),
            },
          ]
        : [],
      permanences: [],
      communesServed: [...communes],
      waitingTimeDays: null,
      contact: {
        ...(row.telephone ? { phone: row.telephone } : {}),
        ...(row.courriel ? { email: row.courriel } : {}),
        ...(row.lien_mobilisation ? { website: row.lien_mobilisation } : {}),
      },
      acceptsReferrals: false,
      active: true,
      lastVerifiedAt: row.date_maj,
      // A row Parcours itself exported comes back as it was; any other source is remembered.
      ...(row.source === source ? {} : { source: { name: row.source, id: row.id, updatedAt: row.date_maj } }),
    };
  });
  return { services, sourceIndexes, rejected, rejectedStructures, notes };
}

const osmWeekdays = new Map(Object.entries(osmDays).map(([ours, theirs]) => [theirs, ours as Weekday]));

/** The simple `opening_hours` rules Parcours writes (« Mo 09:00-12:00; Tu … »); anything richer is left out. */
function openingHoursFrom(text: string | null) {
  if (!text) return [];
  return text.split(';').flatMap((rule) => {
    const match = /^\s*(Mo|Tu|We|Th|Fr|Sa|Su) (\d{2}:\d{2})-(\d{2}:\d{2})\s*$/.exec(rule);
    const weekday = match ? osmWeekdays.get(match[1] as string) : undefined;
    return match && weekday ? [{ weekday, opens: match[2] as string, closes: match[3] as string }] : [];
  });
}
