/**
 * One French wording of validation issues for every schema the desk parses (API bodies, queries, paths, and
 * the pages' forms): a sentence about the field, by its name for people (« Le nom de famille est
 * obligatoire. »), never the schema's vocabulary (« chaîne de caractères attendu, indéfini reçu »). A message a
 * schema writes itself (`.min(1, '…')`, a `refine`) is kept: zod asks this map only for the others.
 */

interface FieldLabel {
  /** Capitalised, with its article: « La date de naissance », « L’adresse e-mail ». */
  label: string;
  plural?: boolean;
}

const singular = (label: string): FieldLabel => ({ label });
const plural = (label: string): FieldLabel => ({ label, plural: true });

/** By the field's path (`answer.mode`) first, then by its last key (`mode`). */
export const fieldLabels: Record<string, FieldLabel> = {
  familyName: singular('Le nom de famille'),
  givenNames: plural('Les prénoms'),
  birthName: singular('Le nom de naissance'),
  birthDate: singular('La date de naissance'),
  communeInsee: singular('La commune'),
  communeCode: singular('La commune'),
  commune: singular('La commune'),
  phone: singular('Le numéro de téléphone'),
  email: singular('L’adresse e-mail'),
  password: singular('Le mot de passe'),
  expressedRequest: singular('La demande exprimée'),
  'expressedRequest.text': singular('La demande exprimée'),
  'expressedRequest.domains': plural('Les domaines de la demande'),
  channel: singular('Le canal d’accueil'),
  entryOrganisationId: singular('La structure d’accueil'),
  referentAgentId: singular('L’agent référent'),
  referentOrganisationId: singular('La structure référente'),
  organisationId: singular('La structure'),
  organisation: singular('La structure'),
  partner: singular('Le partenaire'),
  bundle: singular('Le bouquet de services'),
  members: plural('Les membres du foyer'),
  personId: singular('La personne'),
  role: singular('Le rôle'),
  expectedRevision: singular('La version du dossier'),
  event: singular('L’étape demandée'),
  type: singular('Le type de réponse'),
  reason: singular('Le motif'),
  reasonCode: singular('Le motif'),
  reasonText: singular('La précision du motif'),
  serviceId: singular('Le service'),
  purpose: singular('La finalité'),
  purposes: plural('Les finalités'),
  categories: plural('Les informations partagées'),
  sharedCategories: plural('Les informations partagées'),
  recipientOrganisationIds: plural('Les structures destinataires'),
  at: singular('La date du rendez-vous'),
  'answer.at': singular('La date du rendez-vous'),
  'answer.mode': singular('Le mode du rendez-vous'),
  mode: singular('Le choix'),
  receptionPointId: singular('Le point d’accueil'),
  conditions: plural('Les conditions'),
  suggestedOrganisationId: singular('La structure proposée'),
  outcome: singular('L’issue'),
  decision: singular('La décision'),
  method: singular('Le mode de recueil'),
  givenBy: singular('La personne qui donne l’accord'),
  collectedAt: singular('La date du recueil'),
  withdrawnBy: singular('La personne qui retire l’accord'),
  withdrawalChannel: singular('Le canal du retrait'),
  topic: singular('Le sujet'),
  note: singular('La note'),
  level: singular('Le niveau de besoin'),
  urgency: singular('L’urgence'),
  needs: plural('Les besoins'),
  from: singular('Le début de la période'),
  to: singular('La fin de la période'),
  page: singular('La page'),
  pageSize: singular('La taille de page'),
  limit: singular('Le nombre de lignes'),
  status: singular('Le statut'),
  right: singular('Le droit'),
  nonTakeUpReason: singular('Le motif de non-recours'),
  matchToken: singular('La personne retrouvée'),
  closureReason: singular('Le motif de clôture'),
  stage: singular('L’étape'),
  answers: plural('Les réponses'),
  answer: singular('La réponse'),
};

/** What zod hands an error map: the parts of an issue this wording reads. */
export interface IssueForWording {
  code: string;
  path?: PropertyKey[];
  input?: unknown;
  expected?: unknown;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  format?: string;
  keys?: string[];
}

function fieldOf(path: readonly PropertyKey[]): FieldLabel {
  const keys = path.filter((key): key is string => typeof key === 'string');
  const joined = keys.join('.');
  const last = keys.at(-1);
  if (fieldLabels[joined]) return fieldLabels[joined];
  if (last && fieldLabels[last]) return fieldLabels[last];
  if (keys.length >= 2 && fieldLabels[keys.slice(-2).join('.')]) return fieldLabels[keys.slice(-2).join('.')] as FieldLabel;
  return last ? singular(`Le champ « ${last} »`) : singular('La demande');
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

const expectedPhrases: Record<string, string> = {
  string: 'un texte',
  number: 'un nombre',
  int: 'un nombre entier',
  bigint: 'un nombre entier',
  boolean: 'oui ou non',
  array: 'une liste',
  object: 'un ensemble de champs',
  date: 'une date',
};

/** The sentence for one issue; undefined for a code it has no wording for (zod's own then applies). */
export function frenchIssue(issue: IssueForWording): string | undefined {
  const { label, plural: isPlural } = fieldOf(issue.path ?? []);
  const is = isPlural ? 'sont' : 'est';
  const must = isPlural ? 'doivent' : 'doit';
  const mandatory = `${label} ${is} ${isPlural ? 'obligatoires' : 'obligatoire'}.`;
  const n = (value: number | bigint | undefined) => Number(value ?? 0);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') return mandatory;
      return `${label} ${must} être ${expectedPhrases[String(issue.expected)] ?? 'd’une autre forme'}.`;
    case 'too_small':
      if (issue.origin === 'string') {
        return n(issue.minimum) <= 1 ? mandatory : `${label} ${must} compter au moins ${n(issue.minimum)} caractères.`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return n(issue.minimum) <= 1
          ? `Choisissez au moins un élément pour ${lowerFirst(label)}.`
          : `Choisissez au moins ${n(issue.minimum)} éléments pour ${lowerFirst(label)}.`;
      }
      if (issue.origin === 'date') return `${label} ${is} trop ancienne.`;
      return `${label} ${must} valoir au moins ${n(issue.minimum)}.`;
    case 'too_big':
      if (issue.origin === 'string') return `${label} ne ${must} pas dépasser ${n(issue.maximum)} caractères.`;
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `Choisissez au plus ${n(issue.maximum)} éléments pour ${lowerFirst(label)}.`;
      }
      if (issue.origin === 'date') return `${label} ${is} trop lointaine.`;
      return `${label} ${must} valoir au plus ${n(issue.maximum)}.`;
    case 'invalid_value':
    case 'invalid_union':
      return `La valeur choisie pour ${lowerFirst(label)} n’est pas proposée : choisissez dans la liste.`;
    case 'invalid_format':
      if (issue.format === 'email') return `${label} n’est pas une adresse e-mail valide.`;
      if (issue.format === 'uuid' || issue.format === 'guid') {
        return `${label} ne désigne rien de connu : l’identifiant est mal formé.`;
      }
      if (issue.format === 'datetime' || issue.format === 'date' || issue.format === 'time') {
        return `${label} n’est pas une date valide.`;
      }
      return `${label} n’a pas le format attendu.`;
    case 'unrecognized_keys': {
      const keys = issue.keys ?? [];
      return keys.length > 1 ? `Champs inconnus : ${keys.join(', ')}.` : `Champ inconnu : ${keys[0] ?? ''}.`;
    }
    case 'invalid_key':
    case 'invalid_element':
    case 'not_multiple_of':
    case 'custom':
      return `${label} n’est pas valide.`;
    default:
      return undefined;
  }
}
