import { createHash } from 'node:crypto';
import {
  type ConsentInformationItem,
  type DataCategory,
  dataCategories,
  type ReferralPurpose,
  referralPurposes,
} from '@parcours/vocabulary';

/** French labels for the person, also used by the desk and its pages. */
export const dataCategoryLabels: Record<DataCategory, string> = {
  identity: 'votre identité (nom, prénoms, date de naissance)',
  contact: 'vos coordonnées (téléphone, courriel, commune)',
  situation_summary: 'un résumé de votre demande et de l’étape de votre accompagnement',
  assessment: 'l’évaluation de votre situation (besoins repérés, hors santé)',
  health: 'des informations sur votre santé et votre autonomie',
  free_notes: 'les notes libres des professionnels',
};

export const referralPurposeLabels: Record<ReferralPurpose, string> = {
  information: 'vous informer',
  rights_opening: 'ouvrir vos droits',
  social_support: 'vous accompagner socialement',
  professional_integration: 'vous accompagner vers l’emploi',
  housing: 'vous aider pour le logement',
  health_care: 'organiser des soins',
  autonomy_support: 'soutenir votre autonomie',
  case_management: 'coordonner votre accompagnement (gestion de cas)',
};

/**
 * The notice's text, version by version. A released version never changes: the hash recorded with a
 * consent must keep matching the text shown. A new wording is a new version.
 */
export const currentNoticeVersion = 1;

export interface NoticeScope {
  /** Named recipients, in the order shown. */
  recipients: ReadonlyArray<{ id: string; name: string }>;
  purposes: readonly ReferralPurpose[];
  categories: readonly DataCategory[];
}

export interface RenderedNotice {
  version: number;
  /** The exact text shown or printed; its SHA-256 is what a consent records. */
  text: string;
  sha256: string;
  /** Which lines of the text answer each of the four required pieces of information. */
  sections: Record<ConsentInformationItem, { title: string; lines: string[] }>;
}

function sectionsOf(scope: NoticeScope): RenderedNotice['sections'] {
  return {
    what_is_shared: {
      title: 'Ce qui est partagé',
      lines: scope.categories.map((category) => `- ${dataCategoryLabels[category]}`),
    },
    with_whom: {
      title: 'Avec qui, et pourquoi',
      lines: [
        ...scope.recipients.map((recipient) => `- ${recipient.name}`),
        `Pour : ${scope.purposes.map((purpose) => referralPurposeLabels[purpose]).join(' ; ')}.`,
      ],
    },
    by_what_means: {
      title: 'Par quel moyen',
      lines: [
        'Par la plateforme Parcours : la structure destinataire consulte votre dossier dans l’application,',
        'ou par un lien personnel et sécurisé valable 8 jours si elle n’utilise pas encore Parcours.',
        'Rien n’est envoyé par courriel : les messages disent seulement qu’une orientation attend une réponse.',
      ],
    },
    which_security: {
      title: 'Avec quelle sécurité',
      lines: [
        'Seules les informations cochées ci-dessus sont visibles, et seulement tant que l’orientation est en cours.',
        'Les données de santé ne sont lues que par des professionnels habilités.',
        'Chaque consultation est enregistrée : vous pouvez savoir qui a vu votre dossier.',
        'Vous pouvez retirer votre accord ou vous opposer au partage à tout moment, auprès de n’importe quelle structure ;',
        'le retrait prend effet immédiatement.',
      ],
    },
  };
}

/**
 * Renders the notice for one scope. Pure and deterministic: the same scope gives the same text and hash,
 * so the desk can check at recording time that the notice the person saw is the one for this scope.
 */
export function renderConsentNotice(scope: NoticeScope, version: number = currentNoticeVersion): RenderedNotice {
  if (version !== 1) throw new Error(`unknown notice version ${version}`);
  const sections = sectionsOf(canonicalScope(scope));
  const text = [
    'Partage de vos informations entre structures — notice d’information (version 1)',
    '',
    'Votre dossier est tenu dans le cadre d’une mission d’intérêt public. Pour que la structure ci-dessous',
    'vous accompagne, certaines de vos informations peuvent lui être transmises, avec votre accord préalable',
    '(article L.1110-4 du code de la santé publique, article L.121-6-2 du code de l’action sociale et des familles).',
    '',
    ...(Object.values(sections) as Array<{ title: string; lines: string[] }>).flatMap((section) => [
      `${section.title} :`,
      ...section.lines,
      '',
    ]),
    'Votre accord vaut jusqu’à ce que vous le retiriez, ou jusqu’à la date indiquée.',
  ].join('\n');
  return { version, text, sha256: sha256Hex(text), sections };
}

/** One order whatever the caller's (recipients by id, vocabularies in their declared order), so one scope has one hash. */
export function canonicalScope(scope: NoticeScope): NoticeScope {
  return {
    recipients: [...new Map(scope.recipients.map((recipient) => [recipient.id, recipient])).values()].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    ),
    purposes: referralPurposes.filter((purpose) => scope.purposes.includes(purpose)),
    categories: dataCategories.filter((category) => scope.categories.includes(category)),
  };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
