import { frenchIssueMessage, issueReasons } from '@parcours/vocabulary';
import {
  type DirectoryFile,
  DirectoryService,
  type DirectoryServiceInput,
  directoryFormat,
  directoryFormatVersion,
} from './directory.schema.ts';

/** A row of an import file that was not kept, with every reason in French. `index` is its 0-based position in `services`. */
export interface RejectedRow {
  index: number;
  id: string | null;
  reasons: string[];
}

export interface DirectoryImportReport {
  /** Rows found in the file. */
  total: number;
  accepted: DirectoryService[];
  rejected: RejectedRow[];
  /** Set when the file itself is unusable (not JSON, no services list); then nothing is accepted. */
  fileError: string | null;
}

export interface ParseDirectoryOptions {
  /** INSEE codes of the territory's communes; a row naming another commune is rejected. */
  knownCommunes?: Iterable<string>;
  /**
   * The line a row is on for the person reading the report (1-based, as the report's table shows it). A
   * converted file (data·inclusion, HSDS) left refused rows out: its lines are the source file's.
   */
  lineOf?: (index: number) => number;
  /**
   * For a list read in parts (so that a large file does not hold the process): the position of this part's first
   * row in the whole list, and the ids already kept by the parts before, shared from part to part.
   */
  firstIndex?: number;
  keptIds?: Map<string, number>;
}

function communesNamedBy(service: DirectoryService): Array<{ path: string; code: string }> {
  return [
    ...service.communesServed.map((code, index) => ({ path: `communesServed[${index}]`, code })),
    ...service.locations.map((location, index) => ({
      path: `locations[${index}].address.communeCode`,
      code: location.address.communeCode,
    })),
    ...service.permanences.map((permanence, index) => ({
      path: `permanences[${index}].communeCode`,
      code: permanence.communeCode,
    })),
  ];
}

/** The services list of a file: a `parcours-directory` document, or a bare array of services. */
function servicesOf(input: unknown): unknown[] | string {
  if (Array.isArray(input)) return input;
  if (typeof input !== 'object' || input === null)
    return 'le fichier doit être un objet JSON avec une liste « services » ou une liste de services';
  const file = input as Record<string, unknown>;
  if (file.format !== undefined && file.format !== directoryFormat)
    return `format « ${String(file.format)} » non reconnu (attendu : ${directoryFormat})`;
  if (file.version !== undefined && file.version !== directoryFormatVersion)
    return `version ${String(file.version)} du format non prise en charge (attendu : ${directoryFormatVersion})`;
  if (!Array.isArray(file.services)) return 'liste « services » absente';
  return file.services;
}

/**
 * Validates a directory file row by row: good rows are kept, every bad one is reported with its index
 * and all its reasons. Ids must be unique in the file (the first occurrence wins).
 */
export function parseDirectoryFile(input: unknown, options: ParseDirectoryOptions = {}): DirectoryImportReport {
  const rows = servicesOf(input);
  if (typeof rows === 'string') return { total: 0, accepted: [], rejected: [], fileError: rows };
  const known = options.knownCommunes
    ? options.knownCommunes instanceof Set
      ? (options.knownCommunes as Set<string>)
      : new Set(options.knownCommunes)
    : null;
  const lineOf = options.lineOf ?? ((index: number) => index + 1);
  const firstIndexOfId = options.keptIds ?? new Map<string, number>();
  const offset = options.firstIndex ?? 0;
  const accepted: DirectoryService[] = [];
  const rejected: RejectedRow[] = [];
  rows.forEach((row, position) => {
    const index = offset + position;
    const rawId =
      typeof row === 'object' && row !== null && typeof (row as { id?: unknown }).id === 'string'
        ? (row as { id: string }).id
        : null;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      rejected.push({ index, id: null, reasons: ['la ligne n’est pas un objet JSON'] });
      return;
    }
    const parsed = DirectoryService.safeParse(row, { error: frenchIssueMessage });
    const reasons = parsed.success ? [] : issueReasons(parsed.error);
    if (parsed.success && known) {
      for (const { path, code } of communesNamedBy(parsed.data)) {
        if (!known.has(code)) reasons.push(`${path} : commune ${code} inconnue du territoire`);
      }
    }
    const first = rawId === null ? undefined : firstIndexOfId.get(rawId);
    if (first !== undefined) reasons.push(`id : identifiant « ${rawId} » déjà utilisé par la ligne ${lineOf(first)}`);
    if (parsed.success && reasons.length === 0) {
      accepted.push(parsed.data);
      firstIndexOfId.set(parsed.data.id, index);
    } else {
      rejected.push({ index, id: rawId, reasons });
    }
  });
  return { total: rows.length, accepted, rejected, fileError: null };
}

/** Same as parseDirectoryFile, from the file's text. */
export function parseDirectoryJson(text: string, options: ParseDirectoryOptions = {}): DirectoryImportReport {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { total: 0, accepted: [], rejected: [], fileError: `JSON illisible : ${(error as Error).message}` };
  }
  return parseDirectoryFile(input, options);
}

/** The export document, in the format import reads back. Services are sorted by id so exports diff cleanly. */
export function exportDirectory(services: readonly DirectoryService[], options: { now?: Date } = {}): DirectoryFile {
  return {
    format: directoryFormat,
    version: directoryFormatVersion,
    exportedAt: (options.now ?? new Date()).toISOString(),
    services: [...services].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

export type { DirectoryServiceInput };
