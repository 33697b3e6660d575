import { type Database, directoryServices, type Executor, organisations, withActor } from '@parcours/db';
import {
  type DataInclusionFile,
  type DataInclusionStructure,
  directoryFormat,
  directoryFormatVersion,
  fromDataInclusion,
  fromHsds,
  type HsdsService,
  parseDirectoryFile,
  type RejectedRow,
} from '@parcours/directory';
import { importDirectory as importRows } from '@parcours/directory-store';
import type { OrganisationKind } from '@parcours/vocabulary';
import { and, eq, inArray, isNull, ne, or } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { communesOfDepartement } from '../communes/communes.ts';
import { normaliseName } from '../persons/normalise-name.ts';
import type { DirectoryImportReport } from './directory.schemas.ts';
import type { DirectoryCache } from './directory-cache.ts';
import { readTerritoryGeography } from './territory-geography.ts';

/**
 * Imports a directory file into the acting organisation's territory: each row checked on its own (the
 * territory's communes included), good rows upserted by id, every bad row reported with its French
 * reasons. A row whose id belongs to another territory's directory is refused rather than moved, so an
 * administrator of one territory cannot rewrite another's services. The cached index is dropped after.
 */
export async function importDirectory(
  db: Database,
  directories: DirectoryCache,
  input: unknown,
  call: DeskCall,
): Promise<DirectoryImportReport> {
  const territoryId = call.agent.territoryId;
  const at = call.clock.now();
  const report = await withActor(db, actorOf(call.agent), async (tx) => {
    const geography = await readTerritoryGeography(tx, territoryId);
    const knownCommunes = geography.communeCodes.length > 0 ? geography.communeCodes : undefined;
    // A data·inclusion file (structures and services) is read into the directory's own format first.
    const exchange = isDataInclusionFile(input)
      ? await readDataInclusion(tx, input, territoryId)
      : isHsdsList(input)
        ? await readHsds(tx, input, territoryId)
        : null;
    const parsed = parseDirectoryFile(
      exchange ? { format: directoryFormat, version: directoryFormatVersion, services: exchange.services } : input,
      knownCommunes ? { knownCommunes } : {},
    );
    if (parsed.fileError) {
      throw new AppError('validation_failed', 'Le fichier d’annuaire est inutilisable.', {
        errors: [{ field: '', message: parsed.fileError }],
      });
    }
    const ids = parsed.accepted.map((service) => service.id);
    const foreign = new Set<string>();
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
    const rejected: RejectedRow[] = [...parsed.rejected];
    if (foreign.size > 0) {
      // Indexes of the accepted rows in the file: the ones not rejected, in order.
      const rejectedIndexes = new Set(parsed.rejected.map((row) => row.index));
      const acceptedIndexes = Array.from({ length: parsed.total }, (_, index) => index).filter(
        (index) => !rejectedIndexes.has(index),
      );
      parsed.accepted.forEach((service, position) => {
        if (foreign.has(service.id)) {
          rejected.push({
            index: acceptedIndexes[position] ?? -1,
            id: service.id,
            reasons: [`id : identifiant « ${service.id} » déjà utilisé par l’annuaire d’un autre territoire`],
          });
        }
      });
      rejected.sort((a, b) => a.index - b.index);
    }
    const kept = parsed.accepted.filter((service) => !foreign.has(service.id));
    const written =
      kept.length === 0
        ? 0
        : (await importRows(tx, kept, { territoryId, now: at, ...(knownCommunes ? { knownCommunes } : {}) })).written;
    await recordAudit(
      tx,
      call.agent,
      { action: 'directory.import', subjectKind: 'directory', subjectIds: [territoryId], outcome: 'allowed' },
      auditCallOf(call),
    );
    return {
      territoryId,
      total: parsed.total,
      written,
      rejected,
      ...(exchange ? { format: exchange.format, structures: exchange.structures, notes: exchange.notes } : {}),
    };
  });
  directories.invalidate(territoryId);
  return report;
}

function isDataInclusionFile(input: unknown): input is DataInclusionFile {
  const file = input as { structures?: unknown; services?: unknown; format?: unknown } | null;
  return Boolean(file) && Array.isArray(file?.structures) && Array.isArray(file?.services) && file?.format === undefined;
}

/**
 * A data·inclusion file as directory rows: each structure matched to an organisation of the territory by
 * SIRET, then by name (its kind comes from it; an unmatched one is `other`), zones expanded to communes.
 */
/** The territory's organisations, to match an exchanged structure by SIRET, then by name. */
async function organisationMatcher(tx: Executor, territoryId: string) {
  const territory = await tx
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind, siret: organisations.siret })
    .from(organisations)
    .where(eq(organisations.territoryId, territoryId));
  const bySiret = new Map(territory.flatMap((organisation) => (organisation.siret ? [[organisation.siret, organisation]] : [])));
  const byName = new Map(territory.map((organisation) => [normaliseName(organisation.name), organisation]));
  const matches = new Map<string, { by: 'siret' | 'name'; organisation: (typeof territory)[number] } | null>();
  return (key: string, name: string, siret: string | null | undefined) => {
    if (!matches.has(key)) {
      const bySiretMatch = siret ? bySiret.get(siret) : undefined;
      const named = byName.get(normaliseName(name));
      matches.set(
        key,
        bySiretMatch ? { by: 'siret', organisation: bySiretMatch } : named ? { by: 'name', organisation: named } : null,
      );
    }
    return matches.get(key) ?? null;
  };
}

async function readDataInclusion(tx: Executor, file: DataInclusionFile, territoryId: string) {
  const match = await organisationMatcher(tx, territoryId);
  const matchOf = (structure: DataInclusionStructure) => match(structure.id, structure.nom, structure.siret);
  const geography = { communesOfDepartement: (code: string) => communesOfDepartement(code).map((commune) => commune.code) };
  const converted = fromDataInclusion(
    file,
    geography,
    (structure) => (matchOf(structure)?.organisation.kind ?? 'other') as OrganisationKind,
  );
  return {
    format: 'data-inclusion' as const,
    services: converted.services,
    notes: converted.notes,
    structures: file.structures.map((structure) => {
      const match = matchOf(structure);
      return {
        structureId: structure.id,
        name: structure.nom,
        matchedBy: match?.by ?? null,
        organisation: match ? { id: match.organisation.id, name: match.organisation.name } : null,
      };
    }),
  };
}

function isHsdsList(input: unknown): input is { contents: HsdsService[] } {
  const list = input as { contents?: unknown; format?: unknown } | null;
  return Boolean(list) && Array.isArray(list?.contents) && list?.format === undefined;
}

/** An HSDS 3 service list as directory rows, each organisation matched like a data·inclusion structure. */
async function readHsds(tx: Executor, list: { contents: HsdsService[] }, territoryId: string) {
  const match = await organisationMatcher(tx, territoryId);
  const converted = fromHsds(list.contents, {
    kindOf: (organisation) =>
      (match(organisation.name, organisation.name, organisation.taxId)?.organisation.kind ?? 'other') as OrganisationKind,
  });
  const organisationsSeen = new Map(
    list.contents.flatMap((service) => (service.organization ? [[service.organization.id, service.organization]] : [])),
  );
  return {
    format: 'hsds' as const,
    services: converted.services,
    notes: converted.notes,
    structures: [...organisationsSeen.values()].map((organisation) => {
      const found = match(organisation.name, organisation.name, organisation.tax_id);
      return {
        structureId: organisation.id,
        name: organisation.name,
        matchedBy: found?.by ?? null,
        organisation: found ? { id: found.organisation.id, name: found.organisation.name } : null,
      };
    }),
  };
}
