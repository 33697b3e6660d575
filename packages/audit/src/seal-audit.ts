import { type Database, type Executor, rowsOf } from '@parcours/db';
import { sql } from 'drizzle-orm';
import {
  canonicalVersion,
  genesisHash,
  manifestOf,
  readRowLeaves,
  type SealFields,
  sealHashOf,
  sha256Hex,
} from './canonical-row.ts';

/** Transaction-level advisory lock held while sealing: sealers queue on it, so the chain cannot fork. */
export const sealLockKey = 7_061_726_301;

export const defaultSafetyMarginMs = 2 * 60 * 1000;
export const defaultMaxRowsPerSeal = 5_000;

export interface SealAuditOptions {
  /** The time the margin counts back from (the worker's clock). */
  now: Date;
  /**
   * Rows whose `at` is younger than this are left for a later round. Sequences are taken when a row is
   * inserted but become visible when its transaction commits, so a lower sequence may still appear;
   * past the margin, no transaction that could hold one is still running. Must exceed the longest
   * transaction that writes audit rows (statement and idle-in-transaction timeouts bound it).
   */
  safetyMarginMs?: number;
  maxRows?: number;
}

export interface AuditSeal extends SealFields {
  hash: string;
}

export interface SealAuditResult {
  /** The seal written, or null when no row was old enough. */
  seal: AuditSeal | null;
  /** More rows were old enough than one seal takes: run again at once. */
  more: boolean;
}

interface LastSealRow {
  number: string;
  to_sequence: string;
  hash: string;
}

/** The newest seal (number, last sequence covered, hash), or null before the first. */
export async function readChainHead(db: Executor): Promise<{ number: number; toSequence: number; hash: string } | null> {
  const [last] = rowsOf<LastSealRow>(
    await db.execute(
      // Ordered by the column, not by the text alias (where "10" < "9").
      sql`select s.number::text as number, s.to_sequence::text as to_sequence, s.hash from audit_seals s order by s.number desc limit 1`,
    ),
  );
  return last ? { number: Number(last.number), toSequence: Number(last.to_sequence), hash: last.hash } : null;
}

/**
 * Seals the next batch of audit rows: every row after the last seal, up to the newest one older than the
 * safety margin (at most `maxRows`), as one seal linked to the previous one. Requests never wait for
 * this: they only insert rows; the chain is built behind them. Idempotent and safe to run from several
 * workers at once: the advisory lock makes them take turns, and each re-reads the head under it (the
 * unique previous hash is a second guard).
 */
export async function sealAuditBatch(db: Database, options: SealAuditOptions): Promise<SealAuditResult> {
  const marginMs = options.safetyMarginMs ?? defaultSafetyMarginMs;
  const maxRows = options.maxRows ?? defaultMaxRowsPerSeal;
  const cutoff = new Date(options.now.getTime() - marginMs).toISOString();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sealLockKey})`);
    const head = await readChainHead(tx);
    const afterSequence = head?.toSequence ?? 0;
    const [bound] = rowsOf<{ upto: string | null }>(
      await tx.execute(
        sql`select max(sequence)::text as upto from audit_events where sequence > ${afterSequence} and at < ${cutoff}::timestamptz`,
      ),
    );
    if (!bound?.upto) return { seal: null, more: false };
    const leaves = await readRowLeaves(tx, sql`sequence > ${afterSequence} and sequence <= ${bound.upto}::bigint`, maxRows + 1);
    const more = leaves.length > maxRows;
    const sealed = leaves.slice(0, maxRows);
    const last = sealed.at(-1);
    if (!last) return { seal: null, more: false };
    const manifest = manifestOf(sealed);
    const fields: SealFields = {
      number: (head?.number ?? 0) + 1,
      fromSequence: afterSequence + 1,
      toSequence: Number(last.sequence),
      rowCount: sealed.length,
      rowsDigest: sha256Hex(manifest),
      previousHash: head?.hash ?? genesisHash,
      canonicalVersion,
    };
    const seal: AuditSeal = { ...fields, hash: sealHashOf(fields) };
    await tx.execute(sql`
      insert into audit_seals (number, from_sequence, to_sequence, row_count, rows_digest, row_manifest, previous_hash, hash,
                               canonical_version)
      values (${seal.number}, ${seal.fromSequence}, ${seal.toSequence}, ${seal.rowCount}, ${seal.rowsDigest},
              decode(${manifest.toString('hex')}, 'hex'), ${seal.previousHash}, ${seal.hash}, ${seal.canonicalVersion})`);
    return { seal, more };
  });
}

/** Seals until no row old enough is left (a command, tests); answers the seals written. */
export async function sealAllAudit(db: Database, options: SealAuditOptions): Promise<AuditSeal[]> {
  const seals: AuditSeal[] = [];
  for (;;) {
    const { seal, more } = await sealAuditBatch(db, options);
    if (seal) seals.push(seal);
    if (!more) return seals;
  }
}
