import { consents, type Database, persons, withActor } from '@parcours/db';
import { and, desc, eq } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, reachablePersons } from '../../policy/access-policy.ts';
import { recordActorAudit } from '../audit/audit-writer.ts';
import { consentViewOf } from './consent.repository.ts';
import type { ConsentView } from './consent.schemas.ts';

/** A person's consents and oppositions, newest first, or null when the organisation does not reach the person. */
export async function listPersonConsents(db: Database, personId: string, call: DeskCall): Promise<ConsentView[] | null> {
  const now = call.clock.now();
  const actor = actorOf(call.agent);
  return withActor(db, actor, async (tx) => {
    const [person] = await tx
      .select({ id: persons.id })
      .from(persons)
      .where(and(eq(persons.id, personId), reachablePersons(call.agent)));
    if (!person) {
      await recordActorAudit(
        tx,
        actor,
        { action: 'consent.read', subjectKind: 'person', subjectIds: [personId], outcome: 'denied' },
        auditCallOf(call),
      );
      return null;
    }
    const rows = await tx.select().from(consents).where(eq(consents.personId, personId)).orderBy(desc(consents.collectedAt));
    await recordActorAudit(
      tx,
      actor,
      { action: 'consent.read', subjectKind: 'person', subjectIds: [personId, ...rows.map((row) => row.id)], outcome: 'allowed' },
      auditCallOf(call),
    );
    return rows.map((row) => consentViewOf(row, now));
  });
}
