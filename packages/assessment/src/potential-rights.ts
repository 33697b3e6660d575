import {
  codesOf,
  type NonTakeUpReason,
  nonTakeUpReasons,
  type OrganisationKind,
  type PotentialRightStatus,
  potentialRightStatuses,
} from '@parcours/vocabulary';
import { z } from 'zod';
import type { NeedDomainCode } from './forms/multidimensional-v1.form.ts';
import { type ActivityKind, type HouseholdKind, hasChildren, type PersonFacts, type ResourceBand } from './situation.ts';

/** Who may claim a right, as data: each condition the person's facts must meet (every one given). */
interface RightEligibility {
  /** Age in full years, bounds included; `minWithChildren` for a parent (RSA from 18 for a parent, 25 otherwise). */
  age?: { min?: number; minWithChildren?: number; max?: number };
  household?: readonly HouseholdKind[];
  activity?: readonly ActivityKind[];
  resources?: readonly ResourceBand[];
  /** A condition the assessment does not ask about: the right is always « à vérifier » for it. */
  notAsked?: string;
}

interface RightDefinition {
  /** Short French label, as agents say it. */
  label: string;
  name: string;
  /** Who instructs the claim: an organisation kind of the platform, and the body's usual name. */
  instructedBy: { kind: OrganisationKind; body: string };
  /** Need domains where the right is usually detected. */
  domains: NeedDomainCode[];
  eligibility: RightEligibility;
  /** Where the agent checks it with the person: the official simulator or the right's page. */
  check?: { label: string; url: string };
}

const withChildren: readonly HouseholdKind[] = ['couple_with_children', 'single_parent'];
const withoutChildren: readonly HouseholdKind[] = ['alone', 'couple'];
const lowResources: readonly ResourceBand[] = ['none_or_minimum', 'modest'];
const cafSimulator = {
  label: 'Simulateur de la CAF',
  url: 'https://www.caf.fr/allocataires/mes-services-en-ligne/faire-une-simulation',
};
const servicePublic = (page: string, label: string) => ({
  label,
  url: `https://www.service-public.fr/particuliers/vosdroits/${page}`,
});

/**
 * Potential rights detected at assessment: the basis of non-take-up measurement (rights identified vs
 * rights opened). Codes are stable; labels may be reworded.
 */
export const rightsCatalogue = {
  rsa: {
    label: 'RSA',
    name: 'Revenu de solidarité active',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA (pour le Département)' },
    domains: ['resources_rights', 'employment', 'food_basic_needs', 'shelter'],
    eligibility: {
      age: { min: 25, minWithChildren: 18, max: 64 },
      activity: ['employed', 'jobseeker', 'unable_to_work', 'other'],
      resources: ['none_or_minimum'],
    },
    check: cafSimulator,
  },
  prime_activite: {
    label: 'Prime d’activité',
    name: 'Prime d’activité',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['resources_rights', 'employment', 'budget_debt', 'food_basic_needs'],
    eligibility: { age: { min: 18 }, activity: ['employed'], resources: lowResources },
    check: cafSimulator,
  },
  apl: {
    label: 'APL',
    name: 'Aide personnalisée au logement',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['housing', 'resources_rights'],
    eligibility: { resources: lowResources },
    check: cafSimulator,
  },
  als: {
    label: 'ALS',
    name: 'Allocation de logement sociale',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['housing', 'resources_rights'],
    eligibility: { household: withoutChildren, resources: lowResources },
    check: cafSimulator,
  },
  alf: {
    label: 'ALF',
    name: 'Allocation de logement familiale',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['housing', 'resources_rights'],
    eligibility: { household: withChildren, resources: lowResources },
    check: cafSimulator,
  },
  aah: {
    label: 'AAH',
    name: 'Allocation aux adultes handicapés',
    instructedBy: { kind: 'other', body: 'MDPH (décision de la CDAPH), versée par la CAF ou la MSA' },
    domains: ['autonomy', 'resources_rights'],
    eligibility: { age: { min: 20, max: 61 } },
    check: servicePublic('F12242', 'L’AAH sur service-public.fr'),
  },
  pch: {
    label: 'PCH',
    name: 'Prestation de compensation du handicap',
    instructedBy: { kind: 'other', body: 'MDPH (décision de la CDAPH), versée par le Département' },
    domains: ['autonomy'],
    eligibility: { age: { max: 59 } },
  },
  aeeh: {
    label: 'AEEH',
    name: 'Allocation d’éducation de l’enfant handicapé',
    instructedBy: { kind: 'other', body: 'MDPH, versée par la CAF ou la MSA' },
    domains: ['autonomy', 'children_education'],
    eligibility: { household: withChildren },
  },
  apa: {
    label: 'APA',
    name: 'Allocation personnalisée d’autonomie',
    instructedBy: { kind: 'departement_social_service', body: 'Département (équipe médico-sociale APA)' },
    domains: ['autonomy'],
    eligibility: { age: { min: 60 } },
    check: servicePublic('F10009', 'L’APA à domicile sur service-public.fr'),
  },
  ash: {
    label: 'ASH',
    name: 'Aide sociale à l’hébergement (EHPAD, résidence autonomie)',
    instructedBy: { kind: 'ccas', body: 'CCAS de la commune, décision du Département' },
    domains: ['autonomy', 'housing'],
    eligibility: { age: { min: 60 }, resources: lowResources },
  },
  css: {
    label: 'CSS',
    name: 'Complémentaire santé solidaire',
    instructedBy: { kind: 'cpam', body: 'CPAM ou MSA' },
    domains: ['health', 'resources_rights'],
    eligibility: { resources: lowResources },
    check: servicePublic('F10027', 'La complémentaire santé solidaire sur service-public.fr'),
  },
  ame: {
    label: 'AME',
    name: 'Aide médicale de l’État',
    instructedBy: { kind: 'cpam', body: 'CPAM' },
    domains: ['health'],
    eligibility: { notAsked: 'la situation de séjour en France' },
  },
  aspa: {
    label: 'ASPA',
    name: 'Allocation de solidarité aux personnes âgées',
    instructedBy: { kind: 'other', body: 'CARSAT ou MSA (caisse de retraite)' },
    domains: ['resources_rights'],
    eligibility: { age: { min: 65 }, resources: lowResources },
    check: servicePublic('F16871', 'L’ASPA sur service-public.fr'),
  },
  cheque_energie: {
    label: 'Chèque énergie',
    name: 'Chèque énergie',
    instructedBy: { kind: 'other', body: 'État (Agence de services et de paiement), envoi automatique' },
    domains: ['energy_utilities', 'budget_debt'],
    eligibility: { resources: lowResources },
    check: { label: 'Le site du chèque énergie', url: 'https://www.chequeenergie.gouv.fr' },
  },
  fsl: {
    label: 'FSL',
    name: 'Fonds de solidarité pour le logement',
    instructedBy: { kind: 'departement_social_service', body: 'Département, dossier par un travailleur social' },
    domains: ['housing', 'energy_utilities', 'budget_debt'],
    eligibility: { resources: lowResources },
  },
  ars: {
    label: 'Allocation de rentrée scolaire',
    name: 'Allocation de rentrée scolaire',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['children_education', 'resources_rights'],
    eligibility: { household: withChildren, resources: lowResources },
    check: cafSimulator,
  },
  bourse_scolaire: {
    label: 'Bourse de collège ou de lycée',
    name: 'Bourse nationale de collège ou de lycée',
    instructedBy: { kind: 'other', body: 'Établissement scolaire (Éducation nationale)' },
    domains: ['children_education'],
    eligibility: { household: withChildren, resources: lowResources },
  },
  bourse_etudes_superieures: {
    label: 'Bourse sur critères sociaux',
    name: 'Bourse de l’enseignement supérieur sur critères sociaux',
    instructedBy: { kind: 'other', body: 'CROUS' },
    domains: ['training_skills', 'resources_rights'],
    eligibility: { age: { max: 28 }, activity: ['student'] },
  },
  asf: {
    label: 'ASF',
    name: 'Allocation de soutien familial',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['resources_rights', 'early_childhood_parenting', 'legal_rights'],
    eligibility: { household: ['single_parent'] },
    check: cafSimulator,
  },
  paje: {
    label: 'PAJE',
    name: 'Prestation d’accueil du jeune enfant',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['early_childhood_parenting'],
    eligibility: { household: withChildren },
    check: cafSimulator,
  },
  are: {
    label: 'Allocation chômage (ARE)',
    name: 'Allocation d’aide au retour à l’emploi',
    instructedBy: { kind: 'france_travail', body: 'France Travail' },
    domains: ['employment', 'resources_rights'],
    eligibility: { age: { max: 66 }, activity: ['jobseeker'] },
  },
  ass: {
    label: 'ASS',
    name: 'Allocation de solidarité spécifique',
    instructedBy: { kind: 'france_travail', body: 'France Travail' },
    domains: ['employment', 'resources_rights'],
    eligibility: { age: { max: 66 }, activity: ['jobseeker'], resources: lowResources },
  },
  cej: {
    label: 'Contrat d’engagement jeune',
    name: 'Contrat d’engagement jeune (et son allocation)',
    instructedBy: { kind: 'mission_locale', body: 'Mission locale ou France Travail' },
    domains: ['employment', 'training_skills'],
    eligibility: { age: { min: 16, max: 25 } },
  },
} as const satisfies Record<string, RightDefinition>;

export type RightCode = keyof typeof rightsCatalogue;

export type RightVerdict =
  /** The answers make it plausible: « suggéré ». */
  | { right: RightCode; verdict: 'suggested'; missing: [] }
  /** Nothing excludes it, but an answer is missing (named, in French): « à vérifier ». */
  | { right: RightCode; verdict: 'to_check'; missing: string[] }
  | { right: RightCode; verdict: 'excluded'; excludedBy: string };

const missingWords = {
  age: 'l’âge (date de naissance)',
  household: 'la composition du foyer',
  activity: 'l’activité',
  resources: 'les ressources du foyer',
} as const;

/** A right's eligibility applied to the person's facts. */
export function rightVerdictOf(code: RightCode, person: PersonFacts): RightVerdict {
  const eligibility: RightEligibility = rightsCatalogue[code].eligibility;
  const missing: string[] = [];
  if (eligibility.age) {
    const { min: adultMin, minWithChildren, max } = eligibility.age;
    const parent = hasChildren(person.situation.household);
    // A parent may claim younger; whether she is one is the household question's answer.
    const min = minWithChildren !== undefined && parent === true ? minWithChildren : adultMin;
    if (person.age === null) missing.push(missingWords.age);
    else if (min !== undefined && person.age < min) {
      if (minWithChildren === undefined || parent !== undefined || person.age < minWithChildren) {
        return { right: code, verdict: 'excluded', excludedBy: `moins de ${min} ans` };
      }
      missing.push(missingWords.household);
    } else if (max !== undefined && person.age > max)
      return { right: code, verdict: 'excluded', excludedBy: `plus de ${max} ans` };
  }
  for (const key of ['household', 'activity', 'resources'] as const) {
    const allowed = eligibility[key] as readonly string[] | undefined;
    if (!allowed) continue;
    const value = person.situation[key];
    if (value === undefined) missing.push(missingWords[key]);
    else if (!allowed.includes(value)) return { right: code, verdict: 'excluded', excludedBy: missingWords[key] };
  }
  if (eligibility.notAsked) missing.push(eligibility.notAsked);
  return missing.length > 0 ? { right: code, verdict: 'to_check', missing } : { right: code, verdict: 'suggested', missing: [] };
}
export const rightCodes = Object.keys(rightsCatalogue) as [RightCode, ...RightCode[]];

/** Outcomes that end the follow-up of a right. */
export const finalRightStatuses = ['opened', 'refused', 'not_requested'] as const satisfies readonly PotentialRightStatus[];
const needsNonTakeUpReason = new Set<PotentialRightStatus>(['refused', 'not_requested']);

export const PotentialRight = z
  .object({
    right: z.enum(rightCodes, { error: 'droit inconnu du catalogue' }),
    status: z.enum(potentialRightStatuses, { error: `statut de droit invalide (${potentialRightStatuses.join(', ')})` }),
    /** Required when the right was refused or not requested; the non-take-up typology. */
    nonTakeUpReason: z.enum(codesOf(nonTakeUpReasons), { error: 'motif de non-recours invalide' }).optional(),
    updatedAt: z.iso.datetime().optional(),
  })
  .superRefine((value, context) => {
    if (needsNonTakeUpReason.has(value.status) && !value.nonTakeUpReason) {
      context.addIssue({
        code: 'custom',
        path: ['nonTakeUpReason'],
        message: 'motif de non-recours obligatoire quand le droit est refusé ou non demandé',
      });
    }
    if (!needsNonTakeUpReason.has(value.status) && value.nonTakeUpReason) {
      context.addIssue({
        code: 'custom',
        path: ['nonTakeUpReason'],
        message: 'motif de non-recours seulement pour un droit refusé ou non demandé',
      });
    }
  });
export type PotentialRight = z.infer<typeof PotentialRight>;

export const PotentialRights = z.array(PotentialRight).superRefine((rights, context) => {
  const seen = new Set<string>();
  rights.forEach((right, index) => {
    if (seen.has(right.right))
      context.addIssue({ code: 'custom', path: [index, 'right'], message: `droit « ${right.right} » en double` });
    seen.add(right.right);
  });
});

/** Allowed moves of the follow-up; the three outcomes are final. */
const nextStatuses: Record<PotentialRightStatus, readonly PotentialRightStatus[]> = {
  identified: ['requested', 'opened', 'refused', 'not_requested'],
  requested: ['opened', 'refused'],
  opened: [],
  refused: [],
  not_requested: [],
};

export type RightFollowUpResult = { ok: true; right: PotentialRight } | { ok: false; message: string };

/** Moves a potential right's follow-up one step, or says in French why it cannot. */
export function followUpRight(
  current: PotentialRight,
  update: { status: PotentialRightStatus; nonTakeUpReason?: NonTakeUpReason | undefined },
  at: Date,
): RightFollowUpResult {
  if (!nextStatuses[current.status].includes(update.status)) {
    return {
      ok: false,
      message: `le suivi du droit ${rightsCatalogue[current.right].label} ne peut pas passer de « ${current.status} » à « ${update.status} »`,
    };
  }
  const parsed = PotentialRight.safeParse({
    right: current.right,
    status: update.status,
    nonTakeUpReason: update.nonTakeUpReason,
    updatedAt: at.toISOString(),
  });
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((issue) => issue.message).join(' ; ') };
  return { ok: true, right: parsed.data };
}

export function isRightFollowUpOver(right: PotentialRight): boolean {
  return (finalRightStatuses as readonly string[]).includes(right.status);
}
