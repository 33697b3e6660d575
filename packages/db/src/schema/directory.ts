import { organisationKinds } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { sqlInList } from './enums.ts';
import { organisations, territories } from './territory.ts';

/** The service directory of a territory (Open Referral HSDS / data·inclusion compatible). */

/**
 * The service directory (Open Referral HSDS / data·inclusion compatible). Columns hold what search and
 * orientation filter on; `document` holds the whole service as imported (locations, hours, schedules…).
 */
export const directoryServices = pgTable(
  'directory_services',
  {
    /** The service's stable id in the directory file (HSDS service.id, data·inclusion service.id). */
    id: text('id').primaryKey(),
    territoryId: text('territory_id').references(() => territories.id),
    /** The Parcours organisation behind the service, when it has one (referrals go to it). */
    organisationId: uuid('organisation_id').references(() => organisations.id),
    organisationName: text('organisation_name').notNull(),
    organisationKind: text('organisation_kind').notNull(),
    name: text('name').notNull(),
    bundles: text('bundles').array().notNull(),
    /** INSEE codes of the communes served. */
    communesServed: text('communes_served').array().notNull(),
    waitingTimeDays: integer('waiting_time_days'),
    acceptsReferrals: boolean('accepts_referrals').notNull().default(false),
    active: boolean('active').notNull().default(true),
    document: jsonb('document').notNull(),
    lastVerifiedAt: text('last_verified_at'),
    importedAt: instant('imported_at').notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    check('directory_services_kind_check', sql.raw(`organisation_kind in (${sqlInList(organisationKinds)})`)),
    check('directory_services_bundles_check', sql`cardinality(bundles) > 0`),
    check('directory_services_communes_check', sql`cardinality(communes_served) > 0`),
    check('directory_services_waiting_check', sql`waiting_time_days is null or waiting_time_days >= 0`),
    index('directory_services_bundles_idx').using('gin', t.bundles),
    index('directory_services_communes_idx').using('gin', t.communesServed),
    index('directory_services_territory_idx').on(t.territoryId),
  ],
);

export const directoryImportStatuses = ['queued', 'running', 'done', 'failed'] as const;

/**
 * A directory file handed in for import (issue 20): stored as it came, read by the worker in batches, its
 * progress and report kept here so that the page that follows it can be reloaded, and so that a worker that
 * stops mid-way starts the file again (every write is an upsert by service id: running twice changes
 * nothing). Directory data only, no person data.
 */
export const directoryImports = pgTable(
  'directory_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    territoryId: text('territory_id')
      .notNull()
      .references(() => territories.id),
    /** The agent who handed the file in (the import is audited under their name when it is created). */
    agentId: uuid('agent_id').notNull(),
    fileName: text('file_name'),
    /** The file's text: JSON (Parcours, data·inclusion, HSDS) or data·inclusion's services CSV. */
    content: text('content').notNull(),
    /** data·inclusion's structures CSV, when the services came as CSV. */
    structuresContent: text('structures_content'),
    status: text('status').notNull().default('queued'),
    /** Rows in the file (known once it is read) and rows gone through so far. */
    total: integer('total'),
    processed: integer('processed').notNull().default(0),
    report: jsonb('report'),
    /** Why the file could not be imported at all (unreadable, unknown format), in French. */
    error: text('error'),
    createdAt: createdAt(),
    startedAt: instant('started_at'),
    finishedAt: instant('finished_at'),
  },
  (t) => [
    check('directory_imports_status_check', sql.raw(`status in (${sqlInList(directoryImportStatuses)})`)),
    index('directory_imports_territory_idx').on(t.territoryId, t.createdAt),
  ],
);
