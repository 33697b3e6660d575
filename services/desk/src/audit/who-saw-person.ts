import { auditEvents, type Database, organisations, rowsOf, type Transaction, withActor } from '@parcours/db';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../desk-call.ts';
import { auditActorOf } from '../policy/access-policy.ts';
import type { PersonAccess, PersonAccessLog } from './audit.schemas.ts';
import { accessKindOf, idsOfPersonFile, personInTerritory, showsPersonData } from './audit-scope.ts';
import { recordAudit } from './record-audit.ts';

export const accessLogLimit = 1_000;

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

/**
 * "Who saw this person's file", for an auditor or supervisor of a territory where the person is known;
 * null (404) otherwise. The question is audited either way, after the answer is read (so it is not
 * part of its own answer).
 */
export async function whoSawPerson(db: Database, personId: string, call: DeskCall): Promise<PersonAccessLog | null> {
  return withActor(db, auditActorOf(call.agent), async (tx) => {
    const [known] = rowsOf<{ known: boolean }>(await tx.execute(sql`select ${personInTerritory(call.agent, personId)} as known`));
    if (!known?.known) {
      await recordAudit(
        tx,
        call.agent,
        { action: 'person.access_log', subjectKind: 'person', subjectIds: [personId], outcome: 'denied' },
        auditCallOf(call),
      );
      return null;
    }
    const items = await readPersonAccesses(tx, personId, accessLogLimit + 1);
    await recordAudit(
      tx,
      call.agent,
      { action: 'person.access_log', subjectKind: 'person', subjectIds: [personId], outcome: 'allowed' },
      auditCallOf(call),
    );
    return { personId, items: items.slice(0, accessLogLimit), truncated: items.length > accessLogLimit };
  });
}
