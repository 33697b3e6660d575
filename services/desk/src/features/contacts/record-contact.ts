import { contacts, type Database, persons, withActor } from '@parcours/db';
import { and, count, eq, gte, isNull } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { personNotFound } from '../../http/not-found.ts';
import { type ActingAgent, actorOf, reachablePersons } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import type { RecordContactInput } from './contact.schemas.ts';

/**
 * Records a first-level contact for the acting organisation, audited in the same transaction. A named
 * person must be one the organisation reaches, like everywhere else.
 */
export async function recordContact(db: Database, input: RecordContactInput, call: DeskCall): Promise<{ id: string }> {
  const now = call.clock.now();
  return withActor(db, actorOf(call.agent), async (tx) => {
    if (input.personId) {
      const [reached] = await tx
        .select({ id: persons.id })
        .from(persons)
        .where(and(eq(persons.id, input.personId), isNull(persons.anonymisedAt), reachablePersons(call.agent)));
      if (!reached) throw personNotFound();
    }
    const [created] = await tx
      .insert(contacts)
      .values({
        territoryId: call.agent.territoryId,
        organisationId: call.agent.organisationId,
        agentId: call.agent.agentId,
        channel: input.channel,
        topic: input.topic,
        outcome: input.outcome,
        personId: input.personId ?? null,
        at: now,
        createdAt: now,
      })
      .returning({ id: contacts.id });
    if (!created) throw new Error('insert into contacts returned no row');
    await recordAudit(
      tx,
      call.agent,
      {
        action: 'contact.record',
        subjectKind: 'contact',
        subjectIds: input.personId ? [created.id, input.personId] : [created.id],
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return created;
  });
}

/**
 * Attaches a contact that was "turned into a case" to the case once it is opened. Only a contact of the
 * same organisation and not yet attached; anything else is ignored (the contact stays counted).
 */
export async function attachContactToCase(
  db: Database,
  input: { contactId: string; caseId: string; personId: string },
  call: DeskCall,
): Promise<boolean> {
  return withActor(db, actorOf(call.agent), async (tx) => {
    const updated = await tx
      .update(contacts)
      .set({ caseId: input.caseId, personId: input.personId })
      .where(
        and(
          eq(contacts.id, input.contactId),
          eq(contacts.organisationId, call.agent.organisationId),
          eq(contacts.outcome, 'case_opened'),
          isNull(contacts.caseId),
        ),
      )
      .returning({ id: contacts.id });
    if (updated.length === 0) return false;
    await recordAudit(
      tx,
      call.agent,
      {
        action: 'contact.attach',
        subjectKind: 'contact',
        subjectIds: [input.contactId, input.caseId, input.personId],
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return true;
  });
}

/** Contacts the agent's organisation recorded since a given instant (the day's count on the pages). */
export async function countContactsSince(db: Database, agent: ActingAgent, since: Date): Promise<number> {
  const [row] = await withActor(db, actorOf(agent), (tx) =>
    tx
      .select({ n: count() })
      .from(contacts)
      .where(and(eq(contacts.organisationId, agent.organisationId), gte(contacts.at, since))),
  );
  return row?.n ?? 0;
}
