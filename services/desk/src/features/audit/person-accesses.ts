import { auditEvents, organisations, type Transaction } from '@parcours/db';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { PersonAccess } from './audit.schemas.ts';
import { accessKindOf, idsOfPersonFile, showsPersonData } from './audit-scope.ts';

/**
 * Every allowed read or disclosure of the person's file, newest first: rows whose subject ids include
 * the person, one of their cases, referrals or consents. One query, on the GIN index of subject_ids.
 */
export async function readPersonAccesses(tx: Transaction, personId: string, limit: number): Promise<PersonAccess[]> {
  const rows = await tx
    .select({ event: auditEvents, organisationName: organisations.name })
    .from(auditEvents)
    .leftJoin(organisations, eq(organisations.id, auditEvents.organisationId))
    .where(and(sql`${auditEvents.subjectIds} && array${idsOfPersonFile(personId)}`, showsPersonData()) as SQL)
    .orderBy(desc(auditEvents.sequence))
    .limit(limit);
  return rows.map(({ event, organisationName }) => ({
    sequence: event.sequence,
    at: event.at.toISOString(),
    kind: accessKindOf(event),
    action: event.action,
    actorKind: event.actorKind as PersonAccess['actorKind'],
    actorId: event.actorId,
    organisation: event.organisationId ? { id: event.organisationId, name: organisationName ?? '' } : null,
    purpose: event.purpose,
    consentId: event.consentId,
    subjectIds: event.subjectIds,
  }));
}
