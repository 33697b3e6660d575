import { organisationKinds } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { sqlInList } from './enums.ts';

/**
 * Territories (a département and its bassins de vie) and the organisations that take part in the
 * guichet intégré.
 */

/** A territory is a département (the body that leads the guichet intégré) with its bassins de vie. */
export const territories = pgTable('territories', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  departementCode: text('departement_code').notNull(),
  /** INSEE codes of the communes, from @etalab/decoupage-administratif. */
  communes: text('communes').array().notNull().default(sql`'{}'::text[]`),
  /** [{ code, name, communes: INSEE[] }] */
  bassinsDeVie: jsonb('bassins_de_vie').notNull().default(sql`'[]'::jsonb`),
  /** Per-territory settings, e.g. { delays: { referralReminder: 5 } } in working days. */
  settings: jsonb('settings').notNull().default(sql`'{}'::jsonb`),
  createdAt: createdAt(),
});

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    territoryId: text('territory_id')
      .notNull()
      .references(() => territories.id),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    siret: text('siret'),
    communesServed: text('communes_served').array().notNull().default(sql`'{}'::text[]`),
    /** false for a partner that answers referrals through a signed link, without an account. */
    usesParcours: boolean('uses_parcours').notNull().default(true),
    contactEmail: text('contact_email'),
    createdAt: createdAt(),
  },
  (t) => [
    check('organisations_kind_check', sql.raw(`kind in (${sqlInList(organisationKinds)})`)),
    check('organisations_siret_check', sql`siret is null or siret ~ '^[0-9]{14}$'`),
    index('organisations_territory_idx').on(t.territoryId),
  ],
);
