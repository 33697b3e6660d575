import { type Database, personIdentities, persons, withActor } from '@parcours/db';
import { and, asc, isNull, like, sql } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { auditActorOf } from '../../policy/access-policy.ts';
import { normaliseName } from '../persons/normalise-name.ts';
import { personInTerritory } from './audit-scope.ts';
import { recordAudit } from './audit-writer.ts';

export const auditPersonSearchLimit = 20;

/**
 * An auditor (or supervisor) finds a person of the territory by name, to open « who saw her file »: the names
 * travel in the POST body, the search is itself audited (`person.search`, naming the persons shown).
 */
export async function findPersonForAudit(db: Database, familyName: string, call: DeskCall) {
  const family = normaliseName(familyName);
  // `%`, `_` and `\` typed in a name are letters to match, not LIKE's wildcards.
  const prefix = `${family.replace(/[\\%_]/g, '\\$&')}%`;
  return withActor(db, auditActorOf(call.agent), async (tx) => {
    const rows = await tx
      .select({
        personId: personIdentities.personId,
        familyName: personIdentities.familyName,
        givenNames: personIdentities.givenNames,
        birthDate: personIdentities.birthDate,
        communeInsee: personIdentities.communeInsee,
      })
      .from(personIdentities)
      .innerJoin(persons, sql`${persons.id} = ${personIdentities.personId}`)
      .where(
        and(
          isNull(persons.anonymisedAt),
          like(personIdentities.searchKey, prefix),
          personInTerritory(call.agent, sql`${personIdentities.personId}`),
        ),
      )
      .orderBy(asc(personIdentities.familyName), asc(personIdentities.givenNames))
      .limit(auditPersonSearchLimit);
    await recordAudit(
      tx,
      call.agent,
      {
        action: 'person.search',
        subjectKind: 'person',
        subjectIds: rows.map((row) => row.personId),
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return rows;
  });
}
