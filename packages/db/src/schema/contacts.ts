import { contactOutcomes, receptionChannels } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents.ts';
import { cases } from './cases.ts';
import { transactionId } from './columns.ts';
import { sqlInList } from './enums.ts';
import { persons } from './persons.ts';
import { organisations, territories } from './territory.ts';

/**
 * A first-level contact (premier niveau): most requests at a reception point are information and never
 * become a case, yet they are counted (volume per channel, per topic). A contact may stay without an
 * identified person. No free text: the topic is one of the 18 service bundles (codes of
 * @parcours/directory, checked by the desk), so nothing personal can be written here by accident.
 */
export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    territoryId: text('territory_id')
      .notNull()
      .references(() => territories.id),
    /** The organisation that received the contact (the acting one). */
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    channel: text('channel').notNull(),
    /** Service bundle code, e.g. `prestations-sociales`. */
    topic: text('topic').notNull(),
    outcome: text('outcome').notNull(),
    /** Null when the person was not identified (an anonymous phone call, a quick question at the desk). */
    personId: uuid('person_id').references(() => persons.id),
    /** Set once the case this contact turned into is opened. */
    caseId: uuid('case_id').references(() => cases.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set again on every update by a trigger: supervision folds the contact's latest version. */
    transactionId: transactionId(),
  },
  (t) => [
    check('contacts_channel_check', sql.raw(`channel in (${sqlInList(receptionChannels)})`)),
    check('contacts_outcome_check', sql.raw(`outcome in (${sqlInList(contactOutcomes)})`)),
    index('contacts_organisation_at_idx').on(t.organisationId, t.at),
    index('contacts_person_idx').on(t.personId),
    index('contacts_transaction_idx').on(t.transactionId),
  ],
);
