import { type Database, personIdentities, persons, withActor } from '@parcours/db';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { searchKeyOf } from './normalise-name.ts';
import type { CreatePersonBody, Person } from './person.schemas.ts';
import { recordMatchKeys } from './person-match.ts';

/** Records a person for the acting organisation: identity apart, so anonymising is one delete. */
export async function createPerson(
  db: Database,
  input: CreatePersonBody,
  call: DeskCall,
  identityMatchSecret?: string,
): Promise<Person> {
  const now = call.clock.now();
  return withActor(db, actorOf(call.agent), async (tx) => {
    const [created] = await tx
      .insert(persons)
      .values({ createdByOrganisationId: call.agent.organisationId, lastContactAt: now, createdAt: now })
      .returning({ id: persons.id });
    if (!created) throw new Error('insert into persons returned no row');
    const identity = {
      familyName: input.familyName,
      givenNames: input.givenNames,
      birthName: input.birthName ?? null,
      birthDate: input.birthDate ?? null,
      communeInsee: input.communeInsee ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
    };
    await tx.insert(personIdentities).values({
      personId: created.id,
      ...identity,
      searchKey: searchKeyOf(input.familyName, input.givenNames),
      updatedAt: now,
    });
    // Found again by the other structures of the territory, without showing them her name.
    if (identityMatchSecret && input.birthDate) {
      await recordMatchKeys(
        tx,
        created.id,
        {
          familyName: input.familyName,
          givenNames: input.givenNames,
          birthDate: input.birthDate,
          birthName: input.birthName ?? null,
        },
        call,
        identityMatchSecret,
      );
    }
    await recordAudit(
      tx,
      call.agent,
      { action: 'person.create', subjectKind: 'person', subjectIds: [created.id], outcome: 'allowed' },
      auditCallOf(call),
    );
    return { id: created.id, ...identity };
  });
}
