import { parse } from 'csv-parse/sync';
import dataInclusionService from '../standards/data-inclusion-v1/service.json' with { type: 'json' };
import dataInclusionStructure from '../standards/data-inclusion-v1/structure.json' with { type: 'json' };
import type { DataInclusionFile, DataInclusionService, DataInclusionStructure } from './data-inclusion.ts';

/**
 * data·inclusion's tabular layout: two CSV files, `structures.csv` and `services.csv`, one row per record,
 * the schema's field names as header. A cell holds text; what the schema says a field is (list, number,
 * integer) decides how it is read. Lists come written in several ways by the tools that export them: a JSON
 * array (`["a","b"]`), a PostgreSQL array (`{a,b}`), a Python list (`['a', 'b']`), or plain values separated
 * by `|` or `,`. An empty cell is an absent value. A cell that cannot be read as its type is kept as text, so
 * that the schema's validation names the field.
 */

type CellKind = 'text' | 'list' | 'number' | 'integer';

interface JsonSchemaProperty {
  type?: string;
  anyOf?: Array<{ type?: string }>;
}

function cellKindsOf(schema: { properties: Record<string, JsonSchemaProperty> }): Map<string, CellKind> {
  const kinds = new Map<string, CellKind>();
  for (const [field, property] of Object.entries(schema.properties)) {
    const types = [property.type, ...(property.anyOf ?? []).map((branch) => branch.type)].filter(Boolean);
    kinds.set(
      field,
      types.includes('array') ? 'list' : types.includes('integer') ? 'integer' : types.includes('number') ? 'number' : 'text',
    );
  }
  return kinds;
}

const serviceCells = cellKindsOf(dataInclusionService as never);
const structureCells = cellKindsOf(dataInclusionStructure as never);

function listOf(cell: string): unknown {
  const text = cell.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      // A Python list: single quotes.
      try {
        return JSON.parse(text.replace(/'/g, '"'));
      } catch {
        return cell;
      }
    }
  }
  const inner = text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1) : text;
  if (inner === '') return [];
  return inner
    .split(inner.includes('|') ? '|' : ',')
    .map((item) => item.trim().replace(/^"(.*)"$/, '$1'))
    .filter((item) => item !== '');
}

function cellValueOf(kind: CellKind, cell: string): unknown {
  if (cell.trim() === '') return undefined;
  switch (kind) {
    case 'list':
      return listOf(cell);
    case 'number':
    case 'integer': {
      const number = Number(cell.trim().replace(',', '.'));
      return Number.isFinite(number) ? number : cell;
    }
    default:
      return cell;
  }
}

export interface CsvReadResult<Row> {
  rows: Row[];
  /** Set when the text is not a CSV table with a header (then no row is read). */
  fileError: string | null;
}

function readTable<Row>(text: string, kinds: Map<string, CellKind>, required: string[], label: string): CsvReadResult<Row> {
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      columns: true,
      skip_empty_lines: true,
      relax_column_count: true,
      delimiter: detectDelimiter(text),
    }) as Record<string, string>[];
  } catch (error) {
    return { rows: [], fileError: `${label} : CSV illisible (${(error as Error).message.split('\n')[0]})` };
  }
  const header = records[0] ? Object.keys(records[0]) : [];
  const missing = required.filter((field) => !header.includes(field));
  if (records.length > 0 && missing.length > 0) {
    return {
      rows: [],
      fileError: `${label} : colonne${missing.length > 1 ? 's' : ''} ${missing.join(', ')} absente${missing.length > 1 ? 's' : ''}`,
    };
  }
  const rows = records.map((record) => {
    const row: Record<string, unknown> = {};
    for (const [field, cell] of Object.entries(record)) {
      const value = cellValueOf(kinds.get(field) ?? 'text', cell ?? '');
      if (value !== undefined) row[field] = value;
    }
    return row as Row;
  });
  return { rows, fileError: null };
}

/** Comma, the layout's own separator; a semicolon when the header says so (a file saved by a French spreadsheet). */
function detectDelimiter(text: string): string {
  const header = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** The two CSV files of a data·inclusion export as one file, ready for `fromDataInclusion`. */
export function readDataInclusionCsv(files: { structures: string; services: string }): {
  file: DataInclusionFile;
  fileError: string | null;
} {
  const structures = readTable<DataInclusionStructure>(files.structures, structureCells, ['id', 'nom'], 'fichier des structures');
  const services = readTable<DataInclusionService>(
    files.services,
    serviceCells,
    ['id', 'structure_id', 'nom'],
    'fichier des services',
  );
  return {
    file: { structures: structures.rows, services: services.rows },
    fileError: structures.fileError ?? services.fileError,
  };
}

/** True when a text looks like data·inclusion's services or structures CSV: a header naming its fields. */
export function isDataInclusionCsv(text: string): boolean {
  const header = text.replace(/^\uFEFF/, '').split('\n', 1)[0] ?? '';
  return /(^|[,;])"?id"?([,;]|$)/.test(header) && /(^|[,;])"?nom"?([,;]|$)/.test(header) && !header.trimStart().startsWith('{');
}
