import { actorKinds } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  customType,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { sqlInList } from './enums.ts';

/** Raw bytes. Read and written through `encode`/`decode(…, 'hex')` so both drivers see the same text. */
const bytea = customType<{ data: string; driverData: string }>({ dataType: () => 'bytea' });

/** Who did what to which subject, ids only: never a name, never free text about a person. */
export const auditEvents = pgTable(
  'audit_events',
  {
    sequence: bigserial('sequence', { mode: 'number' }).primaryKey(),
    at: instant('at').notNull().defaultNow(),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    organisationId: uuid('organisation_id'),
    action: text('action').notNull(),
    subjectKind: text('subject_kind').notNull(),
    subjectIds: text('subject_ids').array().notNull().default(sql`'{}'::text[]`),
    purpose: text('purpose'),
    consentId: uuid('consent_id'),
    outcome: text('outcome').notNull(),
    requestId: text('request_id'),
    /**
     * HMAC-SHA256 of the row's content under a key the database does not hold, written with the row (see
     * `auditRowDigestOf`): a row changed before its seal no longer matches it. Null on rows older than it.
     */
    rowDigest: text('row_digest'),
  },
  (t) => [
    check('audit_events_actor_kind_check', sql.raw(`actor_kind in (${sqlInList(actorKinds)})`)),
    check('audit_events_outcome_check', sql`outcome in ('allowed', 'denied', 'failed')`),
    index('audit_events_subject_idx').using('gin', t.subjectIds),
    index('audit_events_at_idx').on(t.at),
  ],
);

/**
 * The audit's hash chain (issue 8), written by the worker in batches so that no request waits for it.
 * Seal n covers every audit sequence in [from_sequence, to_sequence] (contiguous with seal n−1, gaps of
 * rolled-back sequences included), with the count and the SHA-256 of the rows' canonical serialisation,
 * and links to seal n−1 by its hash. `@parcours/audit` computes and verifies them; insert-only, like
 * `audit_events` (triggers in the migration).
 */
export const auditSeals = pgTable(
  'audit_seals',
  {
    /** 1, 2, 3… without gaps: a missing number is a removed seal. */
    number: bigint('number', { mode: 'number' }).primaryKey(),
    fromSequence: bigint('from_sequence', { mode: 'number' }).notNull(),
    toSequence: bigint('to_sequence', { mode: 'number' }).notNull(),
    rowCount: integer('row_count').notNull(),
    /** SHA-256 (hex) of `row_manifest`, i.e. of the rows' canonical serialisation. */
    rowsDigest: text('rows_digest').notNull(),
    /** Per row, in sequence order: 8-byte sequence ‖ SHA-256 of its canonical line. Locates a finding. */
    rowManifest: bytea('row_manifest').notNull(),
    /** Hash of the previous seal; 64 zeros for the first. */
    previousHash: text('previous_hash').notNull(),
    /** SHA-256 (hex) of version ‖ number ‖ range ‖ count ‖ digest ‖ previous hash. */
    hash: text('hash').notNull(),
    /** Version of the canonical row serialisation, so a future column does not rewrite history. */
    canonicalVersion: smallint('canonical_version').notNull(),
    sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Two sealers cannot both extend the same seal: the chain cannot fork.
    uniqueIndex('audit_seals_previous_hash_key').on(t.previousHash),
    uniqueIndex('audit_seals_hash_key').on(t.hash),
    check('audit_seals_range_check', sql`from_sequence >= 1 and to_sequence >= from_sequence and row_count >= 1`),
    check(
      'audit_seals_count_check',
      sql`row_count <= to_sequence - from_sequence + 1 and octet_length(row_manifest) = 40 * row_count`,
    ),
    check(
      'audit_seals_digest_check',
      sql`rows_digest ~ '^[0-9a-f]{64}$' and previous_hash ~ '^[0-9a-f]{64}$' and hash ~ '^[0-9a-f]{64}$'`,
    ),
  ],
);
