import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import dataInclusionService from '../standards/data-inclusion-v1/service.json' with { type: 'json' };
import dataInclusionStructure from '../standards/data-inclusion-v1/structure.json' with { type: 'json' };
import hsdsService from '../standards/hsds-3/service.json' with { type: 'json' };

/**
 * Rows of an exchanged file checked against the official JSON schemas themselves (copied unchanged in
 * `standards/`): data·inclusion v1.0.8 (`service.json`, `structure.json`) and HSDS 3 (`service.json`, JSON
 * Schema 2020-12). What the validator says is turned into French reasons for the person fixing the file.
 */

export type ExchangeRowKind = 'data-inclusion-service' | 'data-inclusion-structure' | 'hsds-service';

const withFormats = <A extends Ajv>(ajv: A): A => {
  (addFormats as unknown as (instance: Ajv) => void)(ajv);
  return ajv;
};

const schemas: Record<ExchangeRowKind, { schema: object; draft: '7' | '2020' }> = {
  'data-inclusion-service': { schema: dataInclusionService, draft: '7' },
  'data-inclusion-structure': { schema: dataInclusionStructure, draft: '7' },
  'hsds-service': { schema: hsdsService, draft: '2020' },
};
const compilers: { '7'?: Ajv; '2020'?: Ajv } = {};
const validators = new Map<ExchangeRowKind, ValidateFunction>();

/**
 * Compiled on first use, one schema at a time: HSDS's compiled service schema alone takes about a second to
 * compile, which a data·inclusion import should not pay.
 */
function validatorOf(kind: ExchangeRowKind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    const { schema, draft } = schemas[kind];
    compilers[draft] ??= withFormats(
      draft === '7'
        ? new Ajv({ allErrors: true, strict: false })
        : (new Ajv2020({ allErrors: true, strict: false }) as unknown as Ajv),
    );
    validate = compilers[draft].compile(schema);
    validators.set(kind, validate);
  }
  return validate;
}

const typeNames: Record<string, string> = {
  string: 'un texte',
  number: 'un nombre',
  integer: 'un nombre entier',
  boolean: 'vrai ou faux',
  array: 'une liste',
  object: 'un objet',
};

/** The field a reason names: `thematiques[2]`, `nom`, `(ligne)`. */
function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty?: string }).missingProperty ?? '');
    return path ? `${path}.${missing}` : missing;
  }
  return path || '(ligne)';
}

function reasonOf(error: ErrorObject, row: unknown): string | null {
  const field = fieldOf(error);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${field} : champ obligatoire manquant`;
    case 'type':
      // A nullable field reports both branches: the `null` one says nothing the other does not.
      if (params.type === 'null') return null;
      return `${field} : doit être ${typeNames[String(params.type)] ?? String(params.type)}`;
    case 'enum':
      return `${field} : valeur « ${String(valueAt(row, error.instancePath))} » absente du référentiel`;
    case 'const':
      return `${field} : valeur attendue « ${String(params.allowedValue)} »`;
    case 'format':
      return `${field} : format ${formatNames[String(params.format)] ?? String(params.format)} invalide`;
    case 'pattern':
      return `${field} : format invalide`;
    case 'maxLength':
      return `${field} : trop long (au plus ${String(params.limit)} caractères)`;
    case 'minLength':
      return `${field} : trop court (au moins ${String(params.limit)} caractère${Number(params.limit) > 1 ? 's' : ''})`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${field} : valeur hors des bornes (${error.keyword === 'minimum' || error.keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum'} ${String(params.limit)})`;
    case 'minItems':
      return `${field} : au moins ${String(params.limit)} élément${Number(params.limit) > 1 ? 's' : ''}`;
    case 'uniqueItems':
      return `${field} : élément en double`;
    case 'additionalProperties':
      return `${field} : champ « ${String(params.additionalProperty)} » inconnu du schéma`;
    case 'anyOf':
    case 'oneOf':
    case 'if':
      // Summaries of the branch errors already reported.
      return null;
    default:
      return `${field} : non conforme au schéma (${error.keyword})`;
  }
}

const formatNames: Record<string, string> = {
  date: 'de date (AAAA-MM-JJ)',
  'date-time': 'de date et heure',
  email: 'd’adresse e-mail',
  uri: 'd’adresse web',
  uuid: 'd’identifiant UUID',
};

function valueAt(row: unknown, pointer: string): unknown {
  let value = row;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * What is wrong with one row according to the official schema, in French, one reason per field (none:
 * the row conforms).
 */
export function exchangeRowFaults(kind: ExchangeRowKind, row: unknown): string[] {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return ['(ligne) : la ligne n’est pas un objet JSON'];
  const validate = validatorOf(kind);
  if (validate(row)) return [];
  const reasons: string[] = [];
  const fieldsWithReason = new Set<string>();
  const errors = validate.errors ?? [];
  // The most telling error of a field first (a value outside a list before the type of its other branch).
  const rank = (error: ErrorObject) => (error.keyword === 'type' ? 1 : 0);
  for (const error of [...errors].sort((a, b) => rank(a) - rank(b))) {
    const reason = reasonOf(error, row);
    if (!reason) continue;
    const field = fieldOf(error);
    if (fieldsWithReason.has(field) && error.keyword === 'type') continue;
    fieldsWithReason.add(field);
    if (!reasons.includes(reason)) reasons.push(reason);
  }
  return reasons.length > 0 ? reasons : ['(ligne) : non conforme au schéma'];
}
