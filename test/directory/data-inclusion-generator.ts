import type { DataInclusionFile, DataInclusionService, DataInclusionStructure } from '@parcours/directory';

/**
 * A data·inclusion file as a territory's publishers would hand it in: thousands of services of a few hundred
 * structures, with the mistakes real files carry, each placed on a known line with the report's words written
 * out here by hand (never computed by the code under test):
 * - schema faults: a missing name, a thematique or a fee outside the referentials, a latitude typed as text,
 *   a date written the French way, a 4-digit postal code, a malformed e-mail;
 * - directory faults: a commune outside the territory, no thematique at all (no bundle), an id used twice;
 * - a structure without a name (refused, and its services with it) and services whose structure is missing.
 */

export interface ExpectedRejection {
  index: number;
  id: string;
  reasons: string[];
}

export interface GeneratedFile {
  file: DataInclusionFile;
  expectedRejected: ExpectedRejection[];
  expectedRejectedStructures: ExpectedRejection[];
}

const thematiques = [
  'logement-hebergement--louer-un-logement',
  'sante--acces-aux-soins',
  'trouver-un-emploi--repondre-a-des-offres-demploi',
  'difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives',
  'mobilite--financer-ma-mobilite',
  'famille--garde-denfants',
];

const pad = (value: number) => String(value).padStart(5, '0');
export const serviceIdOf = (source: string, index: number) => `${source}--svc-${pad(index)}`;
const structureCount = 400;
/** This structure has no name: refused, with every service of it. */
const refusedStructure = 13;

type ErrorKind = (typeof errorKinds)[number];
const errorKinds = [
  'missing-nom',
  'unknown-thematique',
  'bad-frais',
  'latitude-text',
  'french-date',
  'short-postal-code',
  'bad-email',
  'commune-outside',
  'no-thematique',
  'duplicate-id',
  'missing-structure',
] as const;

/** Which error, if any, row `index` carries: one row in 50, never one of the refused structure. */
function errorOf(index: number): ErrorKind | null {
  if (index % 50 !== 7) return null;
  return errorKinds[Math.floor(index / 50) % errorKinds.length] as ErrorKind;
}

export function generateDataInclusionFile(options: { services: number; source?: string; dateMaj?: string }): GeneratedFile {
  const source = options.source ?? 'dora';
  const dateMaj = options.dateMaj ?? '2026-10-01';
  const structures: DataInclusionStructure[] = Array.from({ length: structureCount }, (_, index) => ({
    source,
    id: `${source}--s-${index}`,
    nom: `Structure d’accompagnement n° ${index}`,
    date_maj: dateMaj,
    siret: null,
  }));
  delete (structures[refusedStructure] as Partial<DataInclusionStructure>).nom;
  const expectedRejectedStructures = [
    { index: refusedStructure, id: `${source}--s-${refusedStructure}`, reasons: ['nom : champ obligatoire manquant'] },
  ];
  const services: DataInclusionService[] = [];
  const expectedRejected: ExpectedRejection[] = [];
  for (let index = 0; index < options.services; index += 1) {
    const id = serviceIdOf(source, index);
    const service: DataInclusionService = {
      source,
      structure_id: `${source}--s-${index % structureCount}`,
      id,
      nom: `Service ${index} — accompagnement de proximité`,
      description: 'Accompagnement des personnes dans leurs démarches, avec ou sans rendez-vous.',
      date_maj: dateMaj,
      thematiques: [thematiques[index % thematiques.length] as string],
      publics: ['tous-publics'],
      frais: 'gratuit',
      modes_accueil: ['en-presentiel'],
      modes_mobilisation: ['se-presenter', 'telephoner'],
      mobilisable_par: ['usagers', 'professionnels'],
      telephone: '04 92 65 00 00',
      courriel: `service${index}@exemple.fr`,
      adresse: '1 place de la Mairie',
      code_postal: '05300',
      code_insee: '05070',
      commune: 'Laragne-Montéglin',
      latitude: 44.316,
      longitude: 5.823,
      zone_eligibilite: index % 3 === 0 ? ['05'] : ['05070', '05061'],
    };
    const error = errorOf(index);
    const rejected = (reasons: string[], rowId = id) => expectedRejected.push({ index, id: rowId, reasons });
    switch (error) {
      case 'missing-nom':
        delete (service as Partial<DataInclusionService>).nom;
        rejected(['nom : champ obligatoire manquant']);
        break;
      case 'unknown-thematique':
        service.thematiques = ['logement-hebergement--louer-un-logement', 'sante--teleportation'];
        rejected(['thematiques[1] : valeur « sante--teleportation » absente du référentiel']);
        break;
      case 'bad-frais':
        service.frais = 'gratuite' as 'gratuit';
        rejected(['frais : valeur « gratuite » absente du référentiel']);
        break;
      case 'latitude-text':
        service.latitude = '44,3 N' as unknown as number;
        rejected(['latitude : doit être un nombre']);
        break;
      case 'french-date':
        service.date_maj = '01/10/2026';
        rejected(['date_maj : format de date (AAAA-MM-JJ) invalide']);
        break;
      case 'short-postal-code':
        service.code_postal = '5300';
        rejected(['code_postal : trop court (au moins 5 caractères)', 'code_postal : format invalide']);
        break;
      case 'bad-email':
        service.courriel = `service${index}(at)exemple.fr`;
        rejected(['courriel : format d’adresse e-mail invalide']);
        break;
      case 'commune-outside':
        // Marseille: a real commune, outside the territory (the directory's own check).
        service.zone_eligibilite = ['13055'];
        rejected(['communesServed[0] : commune 13055 inconnue du territoire']);
        break;
      case 'no-thematique':
        service.thematiques = null;
        rejected(['bundles : au moins un bouquet de services']);
        break;
      case 'duplicate-id':
        // The row above's id again: the first one stays.
        service.id = serviceIdOf(source, index - 1);
        rejected([`id : identifiant « ${source}-svc-${pad(index - 1)} » déjà utilisé par la ligne ${index}`], service.id);
        break;
      case 'missing-structure':
        service.structure_id = `${source}--s-absente`;
        rejected([`structure_id : structure ${source}--s-absente absente du fichier`]);
        break;
      default:
        if (index % structureCount === refusedStructure) {
          rejected([`structure_id : la structure ${source}--s-${refusedStructure} a été refusée (voir les structures)`]);
        }
    }
    services.push(service);
  }
  return { file: { structures, services }, expectedRejected, expectedRejectedStructures };
}

/** The same file in data·inclusion's tabular layout: a header of field names, lists as JSON arrays. */
export function toDataInclusionCsv(file: DataInclusionFile): { structures: string; services: string } {
  const table = (rows: Array<Record<string, unknown>>) => {
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    const cell = (value: unknown) => {
      if (value === null || value === undefined) return '';
      const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
      return /[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    return [columns.join(','), ...rows.map((row) => columns.map((column) => cell(row[column])).join(','))].join('\n');
  };
  return { structures: table(file.structures), services: table(file.services) };
}
