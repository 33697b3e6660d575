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

interface RightDefinition {
  /** Short French label, as agents say it. */
  label: string;
  name: string;
  /** Who instructs the claim: an organisation kind of the platform, and the body's usual name. */
  instructedBy: { kind: OrganisationKind; body: string };
  /** Need domains where the right is usually detected. */
  domains: NeedDomainCode[];
}

/**
 * Potential rights detected at assessment: the basis of non-take-up measurement (rights identified vs
 * rights opened). Codes are stable; labels may be reworded.
 */
export const rightsCatalogue = {
  rsa: {
    label: 'RSA',
    name: 'Revenu de solidarité active',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA (pour le Département)' },
    domains: ['resources_rights', 'employment'],
  },
  prime_activite: {
    label: 'Prime d’activité',
    name: 'Prime d’activité',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['resources_rights', 'employment'],
  },
  apl: {
    label: 'APL',
    name: 'Aide personnalisée au logement',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['housing', 'resources_rights'],
  },
  als: {
    label: 'ALS',
    name: 'Allocation de logement sociale',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['housing', 'resources_rights'],
  },
  alf: {
    label: 'ALF',
    name: 'Allocation de logement familiale',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['housing', 'resources_rights'],
  },
  aah: {
    label: 'AAH',
    name: 'Allocation aux adultes handicapés',
    instructedBy: { kind: 'other', body: 'MDPH (décision de la CDAPH), versée par la CAF ou la MSA' },
    domains: ['autonomy', 'resources_rights'],
  },
  pch: {
    label: 'PCH',
    name: 'Prestation de compensation du handicap',
    instructedBy: { kind: 'other', body: 'MDPH (décision de la CDAPH), versée par le Département' },
    domains: ['autonomy'],
  },
  aeeh: {
    label: 'AEEH',
    name: 'Allocation d’éducation de l’enfant handicapé',
    instructedBy: { kind: 'other', body: 'MDPH, versée par la CAF ou la MSA' },
    domains: ['autonomy', 'children_education'],
  },
  apa: {
    label: 'APA',
    name: 'Allocation personnalisée d’autonomie',
    instructedBy: { kind: 'departement_social_service', body: 'Département (équipe médico-sociale APA)' },
    domains: ['autonomy'],
  },
  ash: {
    label: 'ASH',
    name: 'Aide sociale à l’hébergement (EHPAD, résidence autonomie)',
    instructedBy: { kind: 'ccas', body: 'CCAS de la commune, décision du Département' },
    domains: ['autonomy', 'housing'],
  },
  css: {
    label: 'CSS',
    name: 'Complémentaire santé solidaire',
    instructedBy: { kind: 'cpam', body: 'CPAM ou MSA' },
    domains: ['health', 'resources_rights'],
  },
  ame: {
    label: 'AME',
    name: 'Aide médicale de l’État',
    instructedBy: { kind: 'cpam', body: 'CPAM' },
    domains: ['health'],
  },
  aspa: {
    label: 'ASPA',
    name: 'Allocation de solidarité aux personnes âgées',
    instructedBy: { kind: 'other', body: 'CARSAT ou MSA (caisse de retraite)' },
    domains: ['resources_rights'],
  },
  cheque_energie: {
    label: 'Chèque énergie',
    name: 'Chèque énergie',
    instructedBy: { kind: 'other', body: 'État (Agence de services et de paiement), envoi automatique' },
    domains: ['energy_utilities', 'budget_debt'],
  },
  fsl: {
    label: 'FSL',
    name: 'Fonds de solidarité pour le logement',
    instructedBy: { kind: 'departement_social_service', body: 'Département, dossier par un travailleur social' },
    domains: ['housing', 'energy_utilities', 'budget_debt'],
  },
  ars: {
    label: 'Allocation de rentrée scolaire',
    name: 'Allocation de rentrée scolaire',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['children_education', 'resources_rights'],
  },
  bourse_scolaire: {
    label: 'Bourse de collège ou de lycée',
    name: 'Bourse nationale de collège ou de lycée',
    instructedBy: { kind: 'other', body: 'Établissement scolaire (Éducation nationale)' },
    domains: ['children_education'],
  },
  bourse_etudes_superieures: {
    label: 'Bourse sur critères sociaux',
    name: 'Bourse de l’enseignement supérieur sur critères sociaux',
    instructedBy: { kind: 'other', body: 'CROUS' },
    domains: ['training_skills'],
  },
  asf: {
    label: 'ASF',
    name: 'Allocation de soutien familial',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['resources_rights', 'early_childhood_parenting'],
  },
  paje: {
    label: 'PAJE',
    name: 'Prestation d’accueil du jeune enfant',
    instructedBy: { kind: 'caf', body: 'CAF ou MSA' },
    domains: ['early_childhood_parenting'],
  },
  are: {
    label: 'Allocation chômage (ARE)',
    name: 'Allocation d’aide au retour à l’emploi',
    instructedBy: { kind: 'france_travail', body: 'France Travail' },
    domains: ['employment', 'resources_rights'],
  },
  ass: {
    label: 'ASS',
    name: 'Allocation de solidarité spécifique',
    instructedBy: { kind: 'france_travail', body: 'France Travail' },
    domains: ['employment', 'resources_rights'],
  },
  cej: {
    label: 'Contrat d’engagement jeune',
    name: 'Contrat d’engagement jeune (et son allocation)',
    instructedBy: { kind: 'mission_locale', body: 'Mission locale ou France Travail' },
    domains: ['employment', 'training_skills'],
  },
} as const satisfies Record<string, RightDefinition>;

export type RightCode = keyof typeof rightsCatalogue;
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
