/**
 * French wording of validation issues, for people (an agent importing a file, an assessment saved
 * incomplete). Written against the shape of a zod issue without importing zod: this package has no
 * dependency, and zod's `error` option accepts `frenchIssueMessage` as it is.
 */
export interface ValidationIssue {
  code: string;
  input?: unknown;
  expected?: unknown;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  values?: readonly unknown[];
  format?: string;
}

const expectedLabels: Record<string, string> = {
  string: 'texte',
  number: 'nombre',
  int: 'nombre entier',
  boolean: 'booléen (true ou false)',
  array: 'liste',
  object: 'objet',
};

/** French messages for the issues the schema does not word itself (missing fields, wrong types, lengths). */
export function frenchIssueMessage(issue: ValidationIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'champ obligatoire manquant';
      if (issue.input === null) return 'valeur nulle non permise';
      return `type invalide : ${expectedLabels[String(issue.expected)] ?? String(issue.expected)} attendu`;
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'texte vide' : `au moins ${issue.minimum} caractères`;
      if (issue.origin === 'array') return `au moins ${issue.minimum} élément(s)`;
      return `valeur minimale : ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `au plus ${issue.maximum} caractères`;
      if (issue.origin === 'array') return `au plus ${issue.maximum} élément(s)`;
      return `valeur maximale : ${issue.maximum}`;
    case 'invalid_value':
      return `valeur invalide (attendu : ${(issue.values ?? []).map(String).join(', ')})`;
    case 'invalid_format':
      return `format invalide (${issue.format})`;
    default:
      return 'valeur invalide';
  }
}

export function formatIssuePath(path: PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

/** Every issue of a zod error as a French sentence prefixed by its path ("communesServed[2] : …"). */
export function issueReasons(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string[] {
  return error.issues.map((issue) => {
    const path = formatIssuePath(issue.path);
    return path ? `${path} : ${issue.message}` : issue.message;
  });
}
