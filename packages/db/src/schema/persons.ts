import { date, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents.ts';
import { createdAt, instant } from './columns.ts';
import { organisations, territories } from './territory.ts';

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

/**
 * The keyed digests a person's identity is found by across the structures of a territory
 * (`@parcours/identity-match`): no name can be read back from a key, so any agent of the territory may
 * compare with them. The structure that recorded the identity is kept: a match tells its kind, never the file.
 */
export const personMatchKeys = pgTable(
  'person_match_keys',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    territoryId: text('territory_id')
      .notNull()
      .references(() => territories.id),
    key: text('key').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
  },
  (table) => [
    primaryKey({ columns: [table.personId, table.key] }),
    index('person_match_keys_lookup').on(table.territoryId, table.key),
  ],
);

/**
 * A structure that met a person another one had recorded, and linked its contact to the same person instead
 * of creating a second one (recorded, audited, in the person's export): from then on it reaches her.
 */
export const personLinks = pgTable(
  'person_links',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    linkedByAgentId: uuid('linked_by_agent_id')
      .notNull()
      .references(() => agents.id),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.personId, table.organisationId] })],
);
