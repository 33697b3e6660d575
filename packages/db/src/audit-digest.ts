import { createHmac } from 'node:crypto';

/**
 * Each audit row carries, from its insert, a keyed digest of its content (HMAC-SHA256), so that a row changed
 * before the sealer reaches it (two to three minutes later) is caught: the chain alone would seal it as
 * changed. The key lives with the services (their environment), never in the database: whoever can write the
 * table cannot forge a digest. Computed in the writing transaction itself, with no lock nor read: requests
 * never queue on it. The audit's verifier recomputes every digest with the same key.
 *
 * The content is the row's columns but its sequence (assigned by the database at insert), as a JSON array in
 * a fixed order, the instant in UTC to the microsecond — the form the verifier reads back from PostgreSQL.
 */
export const auditDigestVersion = 'parcours-audit-row-v1';

export interface AuditRowContent {
  at: Date;
  actorKind: string;
  actorId: string | null;
  organisationId: string | null;
  action: string;
  subjectKind: string;
  subjectIds: readonly string[];
  purpose: string | null;
  consentId: string | null;
  outcome: string;
  requestId: string | null;
}

let processKey: string | null = null;

/** The key every audit writer of this process uses (the desk and the worker set it at start). */
export function configureAuditDigestKey(key: string): void {
  if (key.length < 32) throw new Error('the audit digest key must hold at least 32 characters');
  processKey = key;
}

/** The configured key, else `AUDIT_DIGEST_KEY` from the environment; null when neither is set. */
export function auditDigestKey(): string | null {
  return processKey ?? process.env.AUDIT_DIGEST_KEY ?? null;
}

/** `2026-03-02T09:00:00.123Z` → `2026-03-02T09:00:00.123000Z`, as PostgreSQL prints a timestamptz in UTC to the µs. */
export function microsecondInstantOf(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The text the digest is taken over: the canonical content line (see `@parcours/audit`). */
export function auditContentLineOf(row: Omit<AuditRowContent, 'at'> & { at: string }): string {
  return JSON.stringify([
    auditDigestVersion,
    row.at,
    row.actorKind,
    row.actorId,
    row.organisationId,
    row.action,
    row.subjectKind,
    [...row.subjectIds],
    row.purpose,
    row.consentId,
    row.outcome,
    row.requestId,
  ]);
}

/** The row's digest under `key` (the process's by default); null when no key is configured. */
export function auditRowDigestOf(row: AuditRowContent, key: string | null = auditDigestKey()): string | null {
  if (!key) return null;
  return createHmac('sha256', key)
    .update(auditContentLineOf({ ...row, at: microsecondInstantOf(row.at) }), 'utf8')
    .digest('hex');
}

/** The same digest over a row as read back from PostgreSQL (its instant already in the canonical text). */
export function auditRowDigestOfStored(row: Omit<AuditRowContent, 'at'> & { at: string }, key: string): string {
  return createHmac('sha256', key).update(auditContentLineOf(row), 'utf8').digest('hex');
}

/**
 * A key derived from another secret of the services (the session secret), for deployments that set no
 * `AUDIT_DIGEST_KEY` of their own: still outside the database.
 */
export function derivedAuditDigestKey(secret: string): string {
  return createHmac('sha256', secret).update('parcours-audit-digest-key').digest('hex');
}
