import type { personIdentities } from '@parcours/db';
import type { Person } from './person.schemas.ts';

/** A person as the desk shows them, from their identity row. */
export function personOf(identity: typeof personIdentities.$inferSelect): Person {
  return {
    id: identity.personId,
    familyName: identity.familyName,
    givenNames: identity.givenNames,
    birthName: identity.birthName,
    birthDate: identity.birthDate,
    communeInsee: identity.communeInsee,
    phone: identity.phone,
    email: identity.email,
  };
}
