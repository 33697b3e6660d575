import { directoryImports, directoryServices, type Executor, organisations, territories } from '@parcours/db';
import {
  type DataInclusionFile,
  type DataInclusionService,
  type DataInclusionStructure,
  type DirectoryService,
  directoryFormat,
  directoryFormatVersion,
  fromDataInclusion,
  fromHsds,
  type HsdsService,
  isDataInclusionCsv,
  parseDirectoryFile,
  type RejectedRow,
  readDataInclusionCsv,
  readDataInclusionStructures,
  slugOf,
} from '@parcours/directory';
import { normaliseName } from '@parcours/identity-match';
import type { OrganisationKind } from '@parcours/vocabulary';
import { and, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { upsertDirectoryServices } from './directory.repository.ts';
import { franceZones } from './territory-zones.ts';

/**
 * Importing a directory file into a territory, in steps that a page can follow: the file is stored
 * (`createDirectoryImport`), then read, checked and written in batches (`runDirectoryImport`), each batch in a
 * transaction of its own that moves the progress, so that the desk's other requests are not held by one long
 * transaction and a reader sees how far it went. Running an import again (a worker that stopped mid-way)
 * starts the file over: every write is an upsert by service id.
 */

export type DirectoryImportFormat = 'parcours-directory' | 'data-inclusion' | 'data-inclusion-csv' | 'hsds';

export interface MatchedStructure {
  structureId: string;
  name: string;
  matchedBy: 'siret' | 'name' | null;
  organisation: { id: string; name: string } | null;
}

/** What an import did, as its page and the API show it. */
export interface DirectoryImportSummary {
  territoryId: string;
  /** Rows in the file (its services). */
  total: number;
  /** Rows written: inserted, or updated by id. */
  written: number;
  /** Every row not kept, with its 0-based index in the file's services and every reason in French. */
  rejected: RejectedRow[];
  format?: DirectoryImportFormat;
  /** data·inclusion and HSDS: each structure and the Parcours organisation it was matched to (SIRET, then name). */
  structures?: MatchedStructure[];
  /** data·inclusion: structure rows the official schema refused (their services are refused with them). */
  rejectedStructures?: RejectedRow[];
  /** What rows carried that the directory cannot hold (publics without equivalent, classifications…). */
  notes?: Array<{ serviceId: string; message: string }>;
  /**
   * Services of the territory that came from the same source(s) as this file and that the file no longer
   * lists: kept, but to be checked (closed? renamed?).
   */
  disappeared?: Array<{ id: string; name: string; source: string }>;
}

/** A file that cannot be imported at all: unreadable, unknown layout. The message is a French reason (« JSON illisible : … »). */
export class DirectoryFileError extends Error {
  override readonly name = 'DirectoryFileError';
  /** The sentence shown to the person who handed the file in. */
  get sentence(): string {
    return `Le fichier d’annuaire est inutilisable : ${this.message}.`;
  }
}

export type InTransaction = <T>(work: (tx: Executor) => Promise<T>) => Promise<T>;

export interface DirectoryImportFile {
  territoryId: string;
  agentId: string;
  fileName?: string | null;
  /** JSON (Parcours, data·inclusion, HSDS) or data·inclusion's services CSV. */
  content: string;
  /** data·inclusion's structures CSV, beside a services CSV. */
  structuresContent?: string | null;
}

/** Stores a file to import; returns the import's id. Run in the transaction that also queues its job. */
export async function createDirectoryImport(tx: Executor, file: DirectoryImportFile): Promise<string> {
  const [row] = await tx
    .insert(directoryImports)
    .values({
      territoryId: file.territoryId,
      agentId: file.agentId,
      fileName: file.fileName ?? null,
      content: file.content,
      structuresContent: file.structuresContent ?? null,
    })
    .returning({ id: directoryImports.id });
  return (row as { id: string }).id;
}

export interface DirectoryImportState {
  id: string;
  territoryId: string;
  agentId: string;
  fileName: string | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number | null;
  processed: number;
  report: DirectoryImportSummary | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** An import as its page shows it (the file's text is not read back). */
export async function readDirectoryImport(tx: Executor, importId: string): Promise<DirectoryImportState | null> {
  const [row] = await tx
    .select({
      id: directoryImports.id,
      territoryId: directoryImports.territoryId,
      agentId: directoryImports.agentId,
      fileName: directoryImports.fileName,
      status: directoryImports.status,
      total: directoryImports.total,
      processed: directoryImports.processed,
      report: directoryImports.report,
      error: directoryImports.error,
      createdAt: directoryImports.createdAt,
      startedAt: directoryImports.startedAt,
      finishedAt: directoryImports.finishedAt,
    })
    .from(directoryImports)
    .where(eq(directoryImports.id, importId));
  return row ? ({ ...row } as DirectoryImportState) : null;
}

/** The territory's latest imports, newest first (what an administrator coming back looks for). */
export async function listDirectoryImports(
  tx: Executor,
  territoryId: string,
  limit = 10,
): Promise<Array<Pick<DirectoryImportState, 'id' | 'fileName' | 'status' | 'createdAt'>>> {
  const rows = await tx
    .select({
      id: directoryImports.id,
      fileName: directoryImports.fileName,
      status: directoryImports.status,
      createdAt: directoryImports.createdAt,
    })
    .from(directoryImports)
    .where(eq(directoryImports.territoryId, territoryId))
    .orderBy(desc(directoryImports.createdAt))
    .limit(limit);
  return rows as Array<Pick<DirectoryImportState, 'id' | 'fileName' | 'status' | 'createdAt'>>;
}

/** A file read, converted and checked: what is kept, with its position in the file, and what is refused. */
interface FileRead {
  format: DirectoryImportFormat;
  /** Rows in the file (its services). */
  total: number;
  accepted: DirectoryService[];
  /** For each of `accepted`, its 0-based position in the file. */
  acceptedIndexes: number[];
  /** Refused rows: positions in the file, ids as the file writes them, French reasons. */
  rejected: RejectedRow[];
  structures?: MatchedStructure[];
  rejectedStructures?: RejectedRow[];
  notes?: Array<{ serviceId: string; message: string }>;
  /** Parcours organisation of each converted service's organisation id (data·inclusion and HSDS matches). */
  organisationOf: Map<string, string>;
}

type OrganisationMatch = { by: 'siret' | 'name'; organisation: { id: string; name: string; kind: string } } | null;

interface TerritoryOrganisation {
  id: string;
  name: string;
  kind: string;
  siret: string | null;
}

/** Matches an exchanged structure to one of the territory's organisations: by SIRET, then by name. */
function organisationMatcher(rows: readonly TerritoryOrganisation[]) {
  const bySiret = new Map(rows.flatMap((row) => (row.siret ? [[row.siret, row] as const] : [])));
  const byName = new Map(rows.map((row) => [normaliseName(row.name), row] as const));
  const matches = new Map<string, OrganisationMatch>();
  return (key: string, name: string, siret: string | null | undefined): OrganisationMatch => {
    if (!matches.has(key)) {
      const found = siret ? bySiret.get(siret) : undefined;
      const named = byName.get(normaliseName(name));
      matches.set(key, found ? { by: 'siret', organisation: found } : named ? { by: 'name', organisation: named } : null);
    }
    return matches.get(key) ?? null;
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DirectoryFileError(`JSON illisible : ${(error as Error).message}`);
  }
}

const isDataInclusion = (input: unknown): input is DataInclusionFile => {
  const file = input as { structures?: unknown; services?: unknown; format?: unknown } | null;
  return Boolean(file) && Array.isArray(file?.structures) && Array.isArray(file?.services) && file?.format === undefined;
};
const isHsdsList = (input: unknown): input is { contents: HsdsService[] } => {
  const list = input as { contents?: unknown; format?: unknown } | null;
  return Boolean(list) && Array.isArray(list?.contents) && list?.format === undefined;
};

/** Rows converted and checked per part, the event loop let go between parts: a 20,000-row file holds no process. */
const rowsPerPart = 500;
const letOthersRun = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The file's text as a document: JSON, or data·inclusion's two CSV files. */
function documentOf(file: { content: string; structuresContent: string | null } | { input: unknown }): {
  input: unknown;
  csv: boolean;
} {
  if ('input' in file) return { input: file.input, csv: false };
  if (file.structuresContent !== null || isDataInclusionCsv(file.content)) {
    if (file.structuresContent === null) {
      throw new DirectoryFileError(
        'fichier CSV des services data·inclusion reçu sans le fichier des structures : joignez les deux (services.csv et structures.csv)',
      );
    }
    const read = readDataInclusionCsv({ services: file.content, structures: file.structuresContent });
    if (read.fileError) throw new DirectoryFileError(read.fileError);
    return { input: read.file, csv: true };
  }
  return { input: parseJson(file.content), csv: false };
}

/**
 * The file, whatever its format, read into the directory's own format and checked row by row (the official
 * schema first for an exchanged file, then the directory's rules and the territory's communes), part by part.
 */
async function readFileParts(
  territoryOrganisations: readonly TerritoryOrganisation[],
  file: { content: string; structuresContent: string | null } | { input: unknown },
  knownCommunes: Set<string> | undefined,
): Promise<FileRead> {
  const { input, csv } = documentOf(file);
  const match = organisationMatcher(territoryOrganisations);
  const organisationOf = new Map<string, string>();
  const matchedStructure = (structureId: string, name: string, found: OrganisationMatch): MatchedStructure => ({
    structureId,
    name,
    matchedBy: found?.by ?? null,
    organisation: found ? { id: found.organisation.id, name: found.organisation.name } : null,
  });

  // What each format contributes: its rows, how a part of them becomes directory rows, and its structures.
  let format: DirectoryImportFormat;
  let rows: readonly unknown[];
  let convert: (
    part: readonly unknown[],
    firstIndex: number,
  ) => {
    services: unknown[];
    sourceIndexes: number[];
    rejected: RejectedRow[];
    notes: Array<{ serviceId: string; message: string }>;
  };
  let structures: MatchedStructure[] | undefined;
  let rejectedStructures: RejectedRow[] | undefined;
  if (isDataInclusion(input)) {
    format = csv ? 'data-inclusion-csv' : 'data-inclusion';
    rows = input.services;
    const structuresRead = readDataInclusionStructures(input.structures);
    rejectedStructures = structuresRead.rejected;
    const matchOf = (structure: DataInclusionStructure) => match(structure.id, structure.nom, structure.siret);
    structures = input.structures.flatMap((structure) => {
      if (typeof structure?.id !== 'string' || typeof structure.nom !== 'string') return [];
      const found = matchOf(structure);
      if (found) organisationOf.set(slugOf(structure.id.replace(/^parcours--/, '')), found.organisation.id);
      return [matchedStructure(structure.id, structure.nom, found)];
    });
    const kindOf = (structure: DataInclusionStructure) => (matchOf(structure)?.organisation.kind ?? 'other') as OrganisationKind;
    convert = (part, firstIndex) =>
      fromDataInclusion({ structures: [], services: part as DataInclusionService[] }, franceZones, kindOf, {
        structuresRead,
        firstIndex,
      });
  } else if (isHsdsList(input)) {
    format = 'hsds';
    rows = input.contents;
    const seen = new Map(
      input.contents.flatMap((service) => (service?.organization ? [[service.organization.id, service.organization]] : [])),
    );
    structures = [...seen.values()].map((organisation) => {
      const found = match(organisation.name, organisation.name, organisation.tax_id);
      if (found) organisationOf.set(slugOf(organisation.id), found.organisation.id);
      return matchedStructure(organisation.id, organisation.name, found);
    });
    const kindOf = (organisation: { name: string; taxId?: string }) =>
      (match(organisation.name, organisation.name, organisation.taxId)?.organisation.kind ?? 'other') as OrganisationKind;
    convert = (part, firstIndex) => {
      const converted = fromHsds(part as HsdsService[], { kindOf, firstIndex });
      // A service Parcours exported names its organisation by its Parcours id: match those by name too.
      for (const service of converted.services) {
        if (organisationOf.has(service.organisation.id)) continue;
        const found = match(service.organisation.name, service.organisation.name, service.organisation.siret);
        if (found) organisationOf.set(service.organisation.id, found.organisation.id);
      }
      return { ...converted, notes: converted.notes };
    };
  } else {
    format = 'parcours-directory';
    // The document's own shape first (format, version, a services list), then its rows part by part.
    const list = Array.isArray(input) ? input : (input as { services?: unknown } | null)?.services;
    const shape = parseDirectoryFile(
      Array.isArray(list) && !Array.isArray(input) ? { ...(input as object), services: [] } : input,
    );
    if (shape.fileError || !Array.isArray(list)) throw new DirectoryFileError(shape.fileError ?? 'liste « services » absente');
    rows = list;
    convert = (part, firstIndex) => ({
      services: [...part],
      sourceIndexes: part.map((_, position) => firstIndex + position),
      rejected: [],
      notes: [],
    });
  }

  const accepted: DirectoryService[] = [];
  const acceptedIndexes: number[] = [];
  const rejected: RejectedRow[] = [];
  const notes: Array<{ serviceId: string; message: string }> = [];
  // Shared by every part: the ids kept so far (by position among the converted rows) and those positions' lines.
  const keptIds = new Map<string, number>();
  const convertedSourceIndexes: number[] = [];
  for (let firstIndex = 0; firstIndex < rows.length; firstIndex += rowsPerPart) {
    const converted = convert(rows.slice(firstIndex, firstIndex + rowsPerPart), firstIndex);
    rejected.push(...converted.rejected);
    notes.push(...converted.notes);
    const firstConverted = convertedSourceIndexes.length;
    convertedSourceIndexes.push(...converted.sourceIndexes);
    const checked = parseDirectoryFile(
      { format: directoryFormat, version: directoryFormatVersion, services: converted.services },
      {
        ...(knownCommunes ? { knownCommunes } : {}),
        firstIndex: firstConverted,
        keptIds,
        lineOf: (index) => (convertedSourceIndexes[index] ?? -1) + 1,
      },
    );
    const refusedHere = new Set<number>();
    for (const row of checked.rejected) {
      const position = row.index - firstConverted;
      refusedHere.add(position);
      rejected.push({
        ...row,
        index: convertedSourceIndexes[row.index] ?? -1,
        // A converted row is named by its id in the file, as the rows refused before conversion are.
        id: (converted.services[position] as { source?: { id?: string } } | undefined)?.source?.id ?? row.id,
      });
    }
    accepted.push(...checked.accepted);
    converted.sourceIndexes.forEach((sourceIndex, position) => {
      if (!refusedHere.has(position)) acceptedIndexes.push(sourceIndex);
    });
    await letOthersRun();
  }
  rejected.sort((a, b) => a.index - b.index);
  return {
    format,
    total: rows.length,
    accepted,
    acceptedIndexes,
    rejected,
    ...(structures ? { structures } : {}),
    ...(rejectedStructures ? { rejectedStructures } : {}),
    ...(format === 'parcours-directory' ? {} : { notes }),
    organisationOf,
  };
}

export interface RunDirectoryImportOptions {
  now?: Date;
  /** Rows written per transaction (and per progress step). */
  batchSize?: number;
}

/**
 * Reads, checks and writes a stored import, moving its progress after each batch; ends `done` with its
 * report, or `failed` with a French reason when the file cannot be read at all. An import already finished
 * is left as it is (a job delivered twice does nothing more).
 */
export async function runDirectoryImport(
  inTransaction: InTransaction,
  importId: string,
  options: RunDirectoryImportOptions = {},
): Promise<DirectoryImportState | null> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 1_000;
  const started = await inTransaction(async (tx) => {
    const [row] = await tx
      .select({
        territoryId: directoryImports.territoryId,
        status: directoryImports.status,
        content: directoryImports.content,
        structuresContent: directoryImports.structuresContent,
      })
      .from(directoryImports)
      .where(eq(directoryImports.id, importId))
      .for('update');
    if (!row || row.status === 'done' || row.status === 'failed') return null;
    await tx
      .update(directoryImports)
      .set({ status: 'running', startedAt: now, processed: 0 })
      .where(eq(directoryImports.id, importId));
    return row;
  });
  if (!started) return inTransaction((tx) => readDirectoryImport(tx, importId));
  try {
    const report = await importInto(inTransaction, started.territoryId, started, { now, batchSize, importId });
    await inTransaction((tx) =>
      tx
        .update(directoryImports)
        .set({ status: 'done', report, total: report.total, processed: report.total, finishedAt: new Date() })
        .where(eq(directoryImports.id, importId)),
    );
  } catch (error) {
    if (!(error instanceof DirectoryFileError)) throw error;
    await inTransaction((tx) =>
      tx
        .update(directoryImports)
        .set({ status: 'failed', error: error.sentence, finishedAt: new Date() })
        .where(eq(directoryImports.id, importId)),
    );
  }
  return inTransaction((tx) => readDirectoryImport(tx, importId));
}

/**
 * Imports an already parsed document in one go (the JSON API's synchronous import, small files, and the demo):
 * the same reading, checks and report as a stored import.
 */
export async function importDirectoryDocument(
  inTransaction: InTransaction,
  territoryId: string,
  input: unknown,
  options: RunDirectoryImportOptions = {},
): Promise<DirectoryImportSummary> {
  return importInto(
    inTransaction,
    territoryId,
    { input },
    { now: options.now ?? new Date(), batchSize: options.batchSize ?? 1_000 },
  );
}

async function importInto(
  inTransaction: InTransaction,
  territoryId: string,
  file: { content: string; structuresContent: string | null } | { input: unknown },
  options: { now: Date; batchSize: number; importId?: string },
): Promise<DirectoryImportSummary> {
  // What the checks need of the territory, read in a short transaction: the file itself is read outside any (a long
  // transaction would hold PGlite, which has one connection, for the whole reading).
  const { knownCommunes, territoryOrganisations } = await inTransaction(async (tx) => {
    const [territory] = await tx
      .select({ communes: territories.communes })
      .from(territories)
      .where(eq(territories.id, territoryId));
    return {
      knownCommunes: territory?.communes && territory.communes.length > 0 ? new Set(territory.communes) : undefined,
      territoryOrganisations: await tx
        .select({ id: organisations.id, name: organisations.name, kind: organisations.kind, siret: organisations.siret })
        .from(organisations)
        .where(eq(organisations.territoryId, territoryId)),
    };
  });
  const read = await readFileParts(territoryOrganisations, file, knownCommunes);
  const foreign = new Set<string>();
  const sources = new Set<string>();
  const total = read.total;
  const rejected = [...read.rejected];
  const ids = read.accepted.map((service) => service.id);
  await inTransaction(async (tx) => {
    for (let start = 0; start < ids.length; start += 1000) {
      const rows = await tx
        .select({ id: directoryServices.id })
        .from(directoryServices)
        .where(
          and(
            inArray(directoryServices.id, ids.slice(start, start + 1000)),
            or(isNull(directoryServices.territoryId), ne(directoryServices.territoryId, territoryId)),
          ),
        );
      for (const row of rows) foreign.add(row.id);
    }
  });
  const kept: DirectoryService[] = [];
  read.accepted.forEach((service, position) => {
    if (foreign.has(service.id)) {
      rejected.push({
        index: read.acceptedIndexes[position] ?? -1,
        id: service.source?.id ?? service.id,
        reasons: [`id : identifiant « ${service.id} » déjà utilisé par l’annuaire d’un autre territoire`],
      });
    } else {
      kept.push(service);
      if (service.source) sources.add(service.source.name);
    }
  });
  rejected.sort((a, b) => a.index - b.index);

  const byName = new Map(territoryOrganisations.map((row) => [row.name, row.id] as const));
  const organisationIdOf = (service: DirectoryService) =>
    read.organisationOf.get(service.organisation.id) ?? byName.get(service.organisation.name) ?? null;
  const skipped = total - kept.length;
  for (let start = 0; start < kept.length; start += options.batchSize) {
    const batch = kept.slice(start, start + options.batchSize);
    await inTransaction(async (tx) => {
      await upsertDirectoryServices(tx, batch, { territoryId, now: options.now, organisationIdOf });
      if (options.importId) {
        await tx
          .update(directoryImports)
          .set({ total, processed: skipped + start + batch.length })
          .where(eq(directoryImports.id, options.importId));
      }
    });
  }

  const disappeared =
    sources.size === 0
      ? []
      : await inTransaction(async (tx) => {
          // A row still in the file but refused this time has not disappeared: it is in `rejected`.
          const keptIds = new Set([
            ...kept.map((service) => service.id),
            ...rejected.flatMap((row) => (row.id ? [row.id, slugOf(row.id.replace(/^parcours--/, ''))] : [])),
          ]);
          const rows = await tx
            .select({
              id: directoryServices.id,
              name: directoryServices.name,
              source: sql<string>`${directoryServices.document}->'source'->>'name'`,
            })
            .from(directoryServices)
            .where(
              and(
                eq(directoryServices.territoryId, territoryId),
                inArray(sql`${directoryServices.document}->'source'->>'name'`, [...sources]),
              ),
            )
            .orderBy(directoryServices.id);
          return rows.filter((row) => !keptIds.has(row.id));
        });
  return {
    territoryId,
    total,
    written: kept.length,
    rejected,
    format: read.format,
    ...(read.structures ? { structures: read.structures } : {}),
    ...(read.rejectedStructures ? { rejectedStructures: read.rejectedStructures } : {}),
    ...(read.notes ? { notes: read.notes } : {}),
    ...(read.format === 'parcours-directory' ? {} : { disappeared }),
  };
}
