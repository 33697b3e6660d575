import { directoryServices, type Executor, organisations } from '@parcours/db';
import {
  type DirectoryImportReport,
  DirectoryService,
  type ParseDirectoryOptions,
  parseDirectoryFile,
} from '@parcours/directory';
import { and, asc, eq, sql } from 'drizzle-orm';

export interface ImportDirectoryOptions extends ParseDirectoryOptions {
  /** The territory the services belong to; services are linked to its organisations of the same name. */
  territoryId?: string;
  now?: Date;
}

export interface DirectoryImportResult extends DirectoryImportReport {
  /** Accepted rows written (inserted or replaced by id). */
  written: number;
}

/**
 * Validates a directory file (or a list of rows) and upserts the good rows by service id, in one
 * transaction; bad rows are reported, never written. Importing the same file twice changes nothing.
 */
export async function importDirectory(
  db: Executor,
  input: unknown,
  options: ImportDirectoryOptions = {},
): Promise<DirectoryImportResult> {
  const report = parseDirectoryFile(input, options);
  if (report.accepted.length === 0) return { ...report, written: 0 };
  const now = options.now ?? new Date();
  await db.transaction(async (tx) => {
    await upsertDirectoryServices(tx, report.accepted, {
      territoryId: options.territoryId ?? null,
      now,
      organisationIdOf: await organisationIdsByName(tx, options.territoryId),
    });
  });
  return { ...report, written: report.accepted.length };
}

/** The territory's organisations by exact name: how a Parcours-format row finds the organisation a referral goes to. */
export async function organisationIdsByName(
  tx: Executor,
  territoryId: string | undefined,
): Promise<(service: DirectoryService) => string | null> {
  const ids = new Map<string, string>();
  if (territoryId) {
    const rows = await tx
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(eq(organisations.territoryId, territoryId));
    for (const row of rows) ids.set(row.name, row.id);
  }
  return (service) => ids.get(service.organisation.name) ?? null;
}

/**
 * Inserts or replaces services by id, in statements of 500 rows (far below PostgreSQL's 65,535 parameters).
 * `organisationIdOf` names the Parcours organisation a referral to the service goes to, when there is one.
 */
export async function upsertDirectoryServices(
  tx: Executor,
  services: readonly DirectoryService[],
  options: { territoryId: string | null; now: Date; organisationIdOf: (service: DirectoryService) => string | null },
): Promise<void> {
  const values = services.map((service) => ({
    id: service.id,
    territoryId: options.territoryId,
    organisationId: options.organisationIdOf(service),
    organisationName: service.organisation.name,
    organisationKind: service.organisation.kind,
    name: service.name,
    bundles: service.bundles,
    communesServed: service.communesServed,
    waitingTimeDays: service.waitingTimeDays,
    acceptsReferrals: service.acceptsReferrals,
    active: service.active,
    document: service,
    lastVerifiedAt: service.lastVerifiedAt,
    importedAt: options.now,
  }));
  for (let start = 0; start < values.length; start += 500) {
    await tx
      .insert(directoryServices)
      .values(values.slice(start, start + 500))
      .onConflictDoUpdate({
        target: directoryServices.id,
        set: {
          territoryId: sql`excluded.territory_id`,
          organisationId: sql`excluded.organisation_id`,
          organisationName: sql`excluded.organisation_name`,
          organisationKind: sql`excluded.organisation_kind`,
          name: sql`excluded.name`,
          bundles: sql`excluded.bundles`,
          communesServed: sql`excluded.communes_served`,
          waitingTimeDays: sql`excluded.waiting_time_days`,
          acceptsReferrals: sql`excluded.accepts_referrals`,
          active: sql`excluded.active`,
          document: sql`excluded.document`,
          lastVerifiedAt: sql`excluded.last_verified_at`,
          importedAt: sql`excluded.imported_at`,
        },
      });
  }
}

export interface StoredService {
  service: DirectoryService;
  /** The Parcours organisation a referral to this service goes to, when known. */
  organisationId: string | null;
}

/** The stored directory (of a territory, when given), sorted by id: what export and the orientation index read. */
export async function readDirectory(
  db: Executor,
  options: { territoryId?: string; activeOnly?: boolean } = {},
): Promise<StoredService[]> {
  const conditions = [
    options.territoryId === undefined ? undefined : eq(directoryServices.territoryId, options.territoryId),
    options.activeOnly ? eq(directoryServices.active, true) : undefined,
  ].filter((condition) => condition !== undefined);
  const rows = await db
    .select({ document: directoryServices.document, organisationId: directoryServices.organisationId })
    .from(directoryServices)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(asc(directoryServices.id));
  return rows.map((row) => ({ service: DirectoryService.parse(row.document), organisationId: row.organisationId }));
}
