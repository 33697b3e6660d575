import { auditEvents, type Database, withActor } from '@parcours/db';
import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { auditActorOf } from '../../policy/access-policy.ts';
import type { AuditEvent, AuditEventList, ListAuditEventsQuery } from './audit.schemas.ts';
import { auditRowsInScope } from './audit-scope.ts';
import { recordAudit } from './audit-writer.ts';

type AuditRow = typeof auditEvents.$inferSelect;

export function auditEventOf(row: AuditRow): AuditEvent {
  return {
    sequence: row.sequence,
    at: row.at.toISOString(),
    actorKind: row.actorKind as AuditEvent['actorKind'],
    actorId: row.actorId,
    organisationId: row.organisationId,
    action: row.action,
    subjectKind: row.subjectKind,
    subjectIds: row.subjectIds,
    purpose: row.purpose,
    consentId: row.consentId,
    outcome: row.outcome as AuditEvent['outcome'],
    requestId: row.requestId,
  };
}

/**
 * A page of the audit within the caller's scope (`auditRowsInScope`), newest first, filtered. Reading
 * the audit is itself audited, with the ids filtered on, in the same transaction.
 */
export async function listAuditEvents(db: Database, query: ListAuditEventsQuery, call: DeskCall): Promise<AuditEventList> {
  const conditions: SQL[] = [auditRowsInScope(call.agent)];
  if (query.actorId) conditions.push(eq(auditEvents.actorId, query.actorId));
  if (query.organisationId) conditions.push(eq(auditEvents.organisationId, query.organisationId));
  if (query.action) conditions.push(eq(auditEvents.action, query.action));
  // `@>` on the GIN index of subject_ids, with a driver-neutral array literal.
  if (query.subjectId) conditions.push(sql`${auditEvents.subjectIds} @> array[${query.subjectId}]::text[]`);
  if (query.outcome) conditions.push(eq(auditEvents.outcome, query.outcome));
  if (query.from) conditions.push(gte(auditEvents.at, new Date(query.from)));
  if (query.to) conditions.push(lt(auditEvents.at, new Date(query.to)));
  return withActor(db, auditActorOf(call.agent), async (tx) => {
    const rows = await tx
      .select()
      .from(auditEvents)
      .where(and(...conditions))
      .orderBy(desc(auditEvents.sequence))
      .limit(query.pageSize + 1)
      .offset((query.page - 1) * query.pageSize);
    await recordAudit(
      tx,
      call.agent,
      {
        action: 'audit.read',
        subjectKind: 'audit',
        subjectIds: [query.subjectId, query.actorId, query.organisationId].filter((id): id is string => Boolean(id)),
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return {
      items: rows.slice(0, query.pageSize).map(auditEventOf),
      page: query.page,
      pageSize: query.pageSize,
      hasMore: rows.length > query.pageSize,
    };
  });
}
