import { type Database, personIdentities, personLinks, persons, withActor } from '@parcours/db';
import { eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit, recordRefusal } from '../audit/audit-writer.ts';
import type { LinkKnownPersonBody, Person } from './person.schemas.ts';
import { verifyMatchToken } from './person-match.ts';
import { personOf } from './person-view.ts';

/**
 * Links the organisation's contact to a person another structure of the territory recorded, found by a
 * search (`knownElsewhere`), instead of creating a second person: recorded (`person_links`), audited
 * (`person.link`), and in the person's export. From then on the organisation reaches her like its own.
 */
export async function linkKnownPerson(db: Database, body: LinkKnownPersonBody, call: DeskCall, secret: string): Promise<Person> {
  const now = call.clock.now();
  const actor = actorOf(call.agent);
  const personId = verifyMatchToken(secret, call.agent.organisationId, body.matchToken, now);
  if (!personId) {
    await recordRefusal(db, actor, { action: 'person.link', subjectKind: 'person', subjectIds: [] }, auditCallOf(call));
    throw new AppError('validation_failed', 'Ce rapprochement n’est plus valable : recherchez la personne à nouveau.', {
      errors: [{ field: 'matchToken', message: 'Rapprochement invalide ou expiré' }],
    });
  }
  return withActor(db, actor, async (tx) => {
    await tx
      .insert(personLinks)
      .values({ personId, organisationId: call.agent.organisationId, linkedByAgentId: call.agent.agentId, linkedAt: now })
      .onConflictDoNothing();
    await tx.update(persons).set({ lastContactAt: now }).where(eq(persons.id, personId));
    const [identity] = await tx.select().from(personIdentities).where(eq(personIdentities.personId, personId));
    if (!identity) throw new AppError('not_found', 'Cette personne est introuvable.');
    await recordAudit(
      tx,
      call.agent,
      { action: 'person.link', subjectKind: 'person', subjectIds: [personId], outcome: 'allowed' },
      auditCallOf(call),
    );
    return personOf(identity);
  });
}
