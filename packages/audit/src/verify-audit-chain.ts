import { auditRowDigestOfStored, type Database, type Executor, rowsOf } from '@parcours/db';
import { sql } from 'drizzle-orm';
import {
  canonicalVersion,
  genesisHash,
  leavesOfManifest,
  manifestEntryBytes,
  type RowLeaf,
  readDigestedRows,
  readRowLeaves,
  sealHashOf,
  sha256Hex,
} from './canonical-row.ts';

export type AuditFindingKind =
  /** A seal number is missing from the sequence 1, 2, 3…: a seal was removed. */
  | 'seal_missing'
  /** A seal's stored hash, digest or manifest does not match its own fields: the seal was altered. */
  | 'seal_altered'
  /** A seal does not name the previous seal's hash: a seal was altered, removed or replaced before it. */
  | 'seal_link_broken'
  /** A seal's range does not start right after the previous one's: sequences escaped sealing. */
  | 'seal_range_gap'
  /** A row the seal covered is gone. */
  | 'row_removed'
  /** A row the seal covered differs from what was sealed. */
  | 'row_altered'
  /** A row is inside a sealed range but was not there when it was sealed. */
  | 'row_inserted'
  /** The chain does not contain the head recorded elsewhere (tail cut off or chain rebuilt). */
  | 'head_mismatch'
  /** A row's keyed digest does not match its content: changed since it was written, sealed or not. */
  | 'row_digest_mismatch'
  /** A row written after keyed digests began carries none: inserted by something without the key. */
  | 'row_digest_missing';

export interface AuditFinding {
  kind: AuditFindingKind;
  sealNumber: number | null;
  /** The audit row concerned, for row findings. */
  sequence: number | null;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  findings: AuditFinding[];
  seals: number;
  sealedRows: number;
  /** Rows after the last seal: not yet covered (younger than the margin, or the sealer is behind). */
  unsealedRows: number;
  /**
   * `at` of the oldest of them. Much older than the margin plus the sealing interval, it means the sealer
   * is not running, or the newest seals were removed (which only a recorded head proves).
   */
  oldestUnsealedAt: string | null;
  /** The newest seal, to be recorded outside the database and passed back as `expectHead`. */
  head: { number: number; toSequence: number; hash: string } | null;
}

export interface VerifyAuditOptions {
  /** A head recorded earlier (e.g. printed by a previous run): the chain must still contain it. */
  expectHead?: { number: number; hash: string };
  /** Seals read per query. */
  pageSize?: number;
  /**
   * The key of the rows' digests (`AUDIT_DIGEST_KEY`, or the one derived from the services' secret): every
   * row's digest is recomputed with it. Without a key, only the chain is checked.
   */
  digestKey?: string | null;
}

interface SealRow {
  number: string;
  from_sequence: string;
  to_sequence: string;
  row_count: number;
  rows_digest: string;
  row_manifest: string;
  previous_hash: string;
  hash: string;
  canonical_version: number;
}

/**
 * Recomputes the whole chain from the rows and reports every discrepancy, each named (which seal,
 * which row, what happened). Read-only; runs in one repeatable-read snapshot so that rows inserted
 * meanwhile cannot confuse it.
 */
export async function verifyAuditChain(db: Database, options: VerifyAuditOptions = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 50;
  const work = async (tx: Executor): Promise<AuditVerification> => {
    const findings: AuditFinding[] = [];
    let previous: { number: number; toSequence: number; hash: string } | null = null;
    let seals = 0;
    let sealedRows = 0;
    let expectedHeadSeen = false;
    for (;;) {
      const page: SealRow[] = rowsOf<SealRow>(
        await tx.execute(sql`
          select s.number::text as number, s.from_sequence::text as from_sequence, s.to_sequence::text as to_sequence,
                 s.row_count, s.rows_digest, encode(s.row_manifest, 'hex') as row_manifest, s.previous_hash, s.hash,
                 s.canonical_version
          from audit_seals s where s.number > ${previous?.number ?? 0} order by s.number limit ${pageSize}`),
      );
      for (const row of page) {
        const seal = {
          number: Number(row.number),
          fromSequence: Number(row.from_sequence),
          toSequence: Number(row.to_sequence),
          rowCount: Number(row.row_count),
          rowsDigest: row.rows_digest,
          previousHash: row.previous_hash,
          canonicalVersion: Number(row.canonical_version),
        };
        const at = (kind: AuditFindingKind, message: string, sequence: number | null = null) =>
          findings.push({ kind, sealNumber: seal.number, sequence, message });
        const expectedNumber: number = (previous?.number ?? 0) + 1;
        if (seal.number !== expectedNumber) {
          at(
            'seal_missing',
            `seal ${expectedNumber}${seal.number - 1 > expectedNumber ? `–${seal.number - 1}` : ''} missing before seal ${seal.number}`,
          );
        }
        if (seal.previousHash !== (previous?.hash ?? genesisHash)) {
          at('seal_link_broken', `seal ${seal.number} does not name the hash of seal ${previous?.number ?? '(genesis)'}`);
        }
        const expectedFrom: number = (previous?.toSequence ?? 0) + 1;
        if (seal.fromSequence !== expectedFrom) {
          at('seal_range_gap', `seal ${seal.number} starts at sequence ${seal.fromSequence}, expected ${expectedFrom}`);
        }
        if (seal.canonicalVersion !== canonicalVersion) {
          at(
            'seal_altered',
            `seal ${seal.number} names serialisation version ${seal.canonicalVersion}, unknown to this verifier`,
          );
        }
        if (sealHashOf(seal) !== row.hash) {
          at('seal_altered', `seal ${seal.number}: its hash does not match its fields`);
        }
        const manifest = Buffer.from(row.row_manifest, 'hex');
        if (sha256Hex(manifest) !== seal.rowsDigest || manifest.length !== seal.rowCount * manifestEntryBytes) {
          at('seal_altered', `seal ${seal.number}: its row manifest does not match its digest or count`);
        }
        const sealed = leavesOfManifest(manifest);
        const current = await readRowLeaves(tx, sql`sequence >= ${seal.fromSequence} and sequence <= ${seal.toSequence}`);
        for (const finding of compareLeaves(sealed, current)) {
          at(finding.kind, `seal ${seal.number}: row ${finding.sequence} ${verbs[finding.kind]}`, finding.sequence);
        }
        if (options.expectHead && seal.number === options.expectHead.number) {
          expectedHeadSeen = true;
          if (row.hash !== options.expectHead.hash) {
            at('head_mismatch', `seal ${seal.number} has hash ${row.hash}, the recorded head says ${options.expectHead.hash}`);
          }
        }
        seals += 1;
        sealedRows += current.length;
        previous = { number: seal.number, toSequence: seal.toSequence, hash: row.hash };
      }
      if (page.length < pageSize) break;
    }
    if (options.expectHead && !expectedHeadSeen) {
      findings.push({
        kind: 'head_mismatch',
        sealNumber: options.expectHead.number,
        sequence: null,
        message: `seal ${options.expectHead.number}, recorded as a head, is not in the chain (the chain ends at ${previous?.number ?? 'no seal'})`,
      });
    }
    if (options.digestKey) findings.push(...(await verifyRowDigests(tx, options.digestKey)));
    const [unsealed] = rowsOf<{ count: string; oldest: string | null }>(
      await tx.execute(
        sql`select count(*)::text as count, to_char(min(at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as oldest
            from audit_events where sequence > ${previous?.toSequence ?? 0}`,
      ),
    );
    return {
      ok: findings.length === 0,
      findings,
      seals,
      sealedRows,
      unsealedRows: Number(unsealed?.count ?? 0),
      oldestUnsealedAt: unsealed?.oldest ?? null,
      head: previous,
    };
  };
  return db.transaction(async (tx) => work(tx), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

/**
 * Every row's keyed digest, recomputed from its content as PostgreSQL gives it back: sealed or not, a row
 * changed since its insert no longer matches. Rows before the first digested one predate the digests.
 */
async function verifyRowDigests(tx: Executor, key: string): Promise<AuditFinding[]> {
  const findings: AuditFinding[] = [];
  let after = 0n;
  let digestsBegun = false;
  for (;;) {
    const rows = await readDigestedRows(tx, after, 5000);
    for (const row of rows) {
      const sequence = Number(row.sequence);
      if (row.row_digest === null) {
        if (digestsBegun) {
          findings.push({ kind: 'row_digest_missing', sealNumber: null, sequence, message: `row ${sequence} carries no digest` });
        }
        continue;
      }
      digestsBegun = true;
      const expected = auditRowDigestOfStored(
        {
          at: row.at,
          actorKind: row.actor_kind,
          actorId: row.actor_id,
          organisationId: row.organisation_id,
          action: row.action,
          subjectKind: row.subject_kind,
          subjectIds: JSON.parse(row.subject_ids) as string[],
          purpose: row.purpose,
          consentId: row.consent_id,
          outcome: row.outcome,
          requestId: row.request_id,
        },
        key,
      );
      if (expected !== row.row_digest) {
        findings.push({
          kind: 'row_digest_mismatch',
          sealNumber: null,
          sequence,
          message: `row ${sequence}: its content does not match the digest written with it`,
        });
      }
    }
    if (rows.length < 5000) break;
    after = BigInt((rows.at(-1) as { sequence: string }).sequence);
  }
  return findings;
}

const verbs = { row_removed: 'was removed', row_altered: 'was altered', row_inserted: 'was inserted after sealing' } as const;

/** Merge of two sequence-ordered leaf lists: what the seal recorded against what is there now. */
function compareLeaves(
  sealed: readonly RowLeaf[],
  current: readonly RowLeaf[],
): Array<{ kind: 'row_removed' | 'row_altered' | 'row_inserted'; sequence: number }> {
  const out: Array<{ kind: 'row_removed' | 'row_altered' | 'row_inserted'; sequence: number }> = [];
  let i = 0;
  let j = 0;
  while (i < sealed.length || j < current.length) {
    const a = sealed[i];
    const b = current[j];
    if (a && (!b || a.sequence < b.sequence)) {
      out.push({ kind: 'row_removed', sequence: Number(a.sequence) });
      i += 1;
    } else if (b && (!a || b.sequence < a.sequence)) {
      out.push({ kind: 'row_inserted', sequence: Number(b.sequence) });
      j += 1;
    } else if (a && b) {
      if (!a.hash.equals(b.hash)) out.push({ kind: 'row_altered', sequence: Number(a.sequence) });
      i += 1;
      j += 1;
    }
  }
  return out;
}
