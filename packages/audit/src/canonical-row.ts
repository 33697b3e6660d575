import { createHash } from 'node:crypto';
import { type Executor, rowsOf } from '@parcours/db';
import { type SQL, sql } from 'drizzle-orm';

/**
 * The canonical serialisation of audit rows. It must give the same bytes on postgres.js and PGlite and
 * on every release, or a clean chain would read as tampered: so PostgreSQL turns every column into text
 * (timestamps in UTC to the microsecond, uuids and bigints as text, the subject ids as a JSON array) and
 * JavaScript only arranges those strings. A new column of `audit_events` needs a new version here; rows
 * already sealed keep the version their seal names.
 */
export const canonicalVersion = 1;

/** The columns of version 1, in serialisation order (a test keeps this list equal to the table's). */
export const canonicalColumns = [
  'sequence',
  'at',
  'actor_kind',
  'actor_id',
  'organisation_id',
  'action',
  'subject_kind',
  'subject_ids',
  'purpose',
  'consent_id',
  'outcome',
  'request_id',
] as const;

export const genesisHash = '0'.repeat(64);

/** Bytes per row in a seal's manifest: 8-byte big-endian sequence, then the row's SHA-256. */
export const manifestEntryBytes = 40;

export interface CanonicalRowText {
  sequence: string;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  organisation_id: string | null;
  action: string;
  subject_kind: string;
  /** JSON array text, from `array_to_json`. */
  subject_ids: string;
  purpose: string | null;
  consent_id: string | null;
  outcome: string;
  request_id: string | null;
}

/** One audit row's identity in the chain: its sequence and the SHA-256 of its canonical line. */
export interface RowLeaf {
  sequence: bigint;
  /** 32 bytes. */
  hash: Buffer;
}

const canonicalSelect = sql`select sequence::text as sequence,
    to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
    actor_kind, actor_id, organisation_id::text as organisation_id, action, subject_kind,
    array_to_json(subject_ids)::text as subject_ids, purpose, consent_id::text as consent_id, outcome, request_id
  from audit_events e`;

/** The canonical line of one row (version 1): a JSON array of its columns in `canonicalColumns` order. */
export function canonicalLineOf(row: CanonicalRowText): string {
  const subjectIds = JSON.parse(row.subject_ids) as unknown;
  return JSON.stringify([
    row.sequence,
    row.at,
    row.actor_kind,
    row.actor_id,
    row.organisation_id,
    row.action,
    row.subject_kind,
    Array.isArray(subjectIds) ? subjectIds : [],
    row.purpose,
    row.consent_id,
    row.outcome,
    row.request_id,
  ]);
}

function leafOf(row: CanonicalRowText): RowLeaf {
  return { sequence: BigInt(row.sequence), hash: createHash('sha256').update(canonicalLineOf(row), 'utf8').digest() };
}

// Ordering names the column (`e.sequence`): a bare `sequence` would be the text alias, where "10" < "9".

/** The leaves of the rows matching `where` (e.g. a sequence range), in sequence order. */
export async function readRowLeaves(db: Executor, where: SQL, limit?: number): Promise<RowLeaf[]> {
  const rows = rowsOf<CanonicalRowText>(
    await db.execute(
      sql`${canonicalSelect} where ${where} order by e.sequence ${limit === undefined ? sql`` : sql`limit ${limit}`}`,
    ),
  );
  return rows.map(leafOf);
}

/** Rows with their keyed digest (`row_digest`), after a sequence, in sequence order: what the digest check reads. */
export async function readDigestedRows(
  db: Executor,
  afterSequence: bigint,
  limit: number,
): Promise<Array<CanonicalRowText & { row_digest: string | null }>> {
  return rowsOf<CanonicalRowText & { row_digest: string | null }>(
    await db.execute(sql`
      select c.*, e.row_digest from (${canonicalSelect} where e.sequence > ${afterSequence.toString()}::bigint) c
      join audit_events e on e.sequence = c.sequence::bigint order by e.sequence limit ${limit}`),
  );
}

/** The canonical lines themselves (for tests and for explaining a finding), in sequence order. */
export async function readCanonicalLines(db: Executor, where: SQL): Promise<string[]> {
  const rows = rowsOf<CanonicalRowText>(await db.execute(sql`${canonicalSelect} where ${where} order by e.sequence`));
  return rows.map(canonicalLineOf);
}

/** A seal's manifest: the leaves, each as sequence (8 bytes, big-endian) ‖ row hash (32 bytes). */
export function manifestOf(leaves: readonly RowLeaf[]): Buffer {
  const manifest = Buffer.alloc(leaves.length * manifestEntryBytes);
  leaves.forEach((leaf, index) => {
    manifest.writeBigUInt64BE(leaf.sequence, index * manifestEntryBytes);
    leaf.hash.copy(manifest, index * manifestEntryBytes + 8);
  });
  return manifest;
}

export function leavesOfManifest(manifest: Buffer): RowLeaf[] {
  const leaves: RowLeaf[] = [];
  for (let offset = 0; offset + manifestEntryBytes <= manifest.length; offset += manifestEntryBytes) {
    leaves.push({
      sequence: manifest.readBigUInt64BE(offset),
      hash: manifest.subarray(offset + 8, offset + manifestEntryBytes),
    });
  }
  return leaves;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface SealFields {
  number: number;
  fromSequence: number;
  toSequence: number;
  rowCount: number;
  rowsDigest: string;
  previousHash: string;
  canonicalVersion: number;
}

/** A seal's own hash: H(version ‖ number ‖ from ‖ to ‖ count ‖ rows digest ‖ previous hash). */
export function sealHashOf(seal: SealFields): string {
  return sha256Hex(
    [
      `parcours-audit-seal-v${seal.canonicalVersion}`,
      seal.number,
      seal.fromSequence,
      seal.toSequence,
      seal.rowCount,
      seal.rowsDigest,
      seal.previousHash,
    ].join('|'),
  );
}
