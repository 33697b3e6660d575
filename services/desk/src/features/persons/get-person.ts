import { type Database, personIdentities, persons, withActor } from '@parcours/db';
import { and, eq, isNull } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, reachablePersons } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import type { Person } from './person.schemas.ts';
import { personOf } from './person-view.ts';

/**
 * A person's identity, or null when unknown, anonymised or not reachable by the organisation (the three
 * look alike). The read is audited either way, in the same transaction.
 */
export async function getPerson(db: Database, personId: string, call: DeskCall): Promise<Person | null> {
  return withActor(db, actorOf(call.agent), async (tx) => {
    const [row] = await tx
      .select({ identity: personIdentities })
      .from(personIdentities)
      .innerJoin(persons, eq(persons.id, personIdentities.personId))
      .where(and(eq(persons.id, personId), isNull(persons.anonymisedAt), reachablePersons(call.agent)));
    await recordAudit(
      tx,
      call.agent,
      { action: 'person.read', subjectKind: 'person', subjectIds: [personId], outcome: row ? 'allowed' : 'denied' },
      auditCallOf(call),
    );
    return row ? personOf(row.identity) : null;
  });
}
