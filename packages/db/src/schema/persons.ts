import { date, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { organisations } from './territory.ts';

/** Persons, and their identities kept apart so that anonymising is deleting one row. */

/** A person holds no identity itself, so that anonymising is deleting one row of person_identities. */
export const persons = pgTable('persons', {
  id: uuid('id').primaryKey().defaultRandom(),
  createdByOrganisationId: uuid('created_by_organisation_id').references(() => organisations.id),
  lastContactAt: instant('last_contact_at').notNull().defaultNow(),
  anonymisedAt: instant('anonymised_at'),
  createdAt: createdAt(),
});

export const personIdentities = pgTable(
  'person_identities',
  {
    personId: uuid('person_id')
      .primaryKey()
      .references(() => persons.id, { onDelete: 'cascade' }),
    familyName: text('family_name').notNull(),
    givenNames: text('given_names').notNull(),
    birthName: text('birth_name'),
    birthDate: date('birth_date'),
    /** INSEE code of the commune of residence. */
    communeInsee: text('commune_insee'),
    phone: text('phone'),
    email: text('email'),
    /** Lower-case, accent-free "family given" used for duplicate search; never shown. */
    searchKey: text('search_key').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [index('person_identities_search_key_idx').on(t.searchKey), index('person_identities_birth_date_idx').on(t.birthDate)],
);
