import {
  consentDecisions,
  consentGivers,
  consentInformationItems,
  consentMethods,
  dataCategories,
  referralPurposes,
  withdrawalChannels,
  withdrawers,
} from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents.ts';
import { cases } from './cases.ts';
import { createdAt, instant } from './columns.ts';
import { sqlInList } from './enums.ts';
import { persons } from './persons.ts';
import { organisations } from './territory.ts';

/**
 * Sharing consent (issue 7): CSP L.1110-4, CASF L.121-6-2, décret 2016-1349. Sharing a person's data with
 * another institution outside a care team needs their prior consent, given after being told what is
 * shared, with whom, by what means and with which security. An opposition blocks every non-mandatory
 * sharing.
 */

/**
 * One consent (or opposition) of one person. A record never changes except for its withdrawal: a new
 * scope is a new record. The notice shown is identified by its version and the SHA-256 of the exact text
 * rendered for this scope, so what the person was told can be proven later.
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The person the data is about. */
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    /** The case during which it was collected, if any (context only: a consent belongs to the person). */
    caseId: uuid('case_id').references(() => cases.id),
    decision: text('decision').notNull(),
    givenBy: text('given_by').notNull(),
    /** The legal representative, when recorded as a person of the file. */
    representativePersonId: uuid('representative_person_id').references(() => persons.id),
    recipientOrganisationIds: uuid('recipient_organisation_ids').array().notNull().default(sql`'{}'::uuid[]`),
    purposes: text('purposes').array().notNull().default(sql`'{}'::text[]`),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    informationShown: text('information_shown').array().notNull(),
    noticeVersion: integer('notice_version').notNull(),
    noticeSha256: text('notice_sha256').notNull(),
    method: text('method').notNull(),
    collectedByAgentId: uuid('collected_by_agent_id')
      .notNull()
      .references(() => agents.id),
    collectedByOrganisationId: uuid('collected_by_organisation_id')
      .notNull()
      .references(() => organisations.id),
    collectedAt: instant('collected_at').notNull(),
    expiresAt: instant('expires_at'),
    withdrawnAt: instant('withdrawn_at'),
    withdrawnBy: text('withdrawn_by'),
    withdrawalRecordedByAgentId: uuid('withdrawal_recorded_by_agent_id').references(() => agents.id),
    withdrawalChannel: text('withdrawal_channel'),
    createdAt: createdAt(),
  },
  (t) => [
    check('consents_decision_check', sql.raw(`decision in (${sqlInList(consentDecisions)})`)),
    check('consents_given_by_check', sql.raw(`given_by in (${sqlInList(consentGivers)})`)),
    check('consents_method_check', sql.raw(`method in (${sqlInList(consentMethods)})`)),
    check('consents_purposes_check', sql.raw(`purposes <@ array[${sqlInList(referralPurposes)}]::text[]`)),
    check('consents_categories_check', sql.raw(`categories <@ array[${sqlInList(dataCategories)}]::text[]`)),
    // All four pieces of information, or the record cannot exist.
    check(
      'consents_information_check',
      sql.raw(
        `information_shown @> array[${sqlInList(consentInformationItems)}]::text[] and information_shown <@ array[${sqlInList(consentInformationItems)}]::text[]`,
      ),
    ),
    check(
      'consents_scope_check',
      sql`decision = 'opposition' or (cardinality(recipient_organisation_ids) > 0 and cardinality(purposes) > 0 and cardinality(categories) > 0)`,
    ),
    check('consents_notice_check', sql`notice_sha256 ~ '^[0-9a-f]{64}$' and notice_version > 0`),
    check('consents_expiry_check', sql`expires_at is null or expires_at > collected_at`),
    check(
      'consents_withdrawal_check',
      sql.raw(
        `(withdrawn_at is null) = (withdrawn_by is null) and (withdrawn_at is null) = (withdrawal_channel is null) and (withdrawn_by is null or withdrawn_by in (${sqlInList(withdrawers)})) and (withdrawal_channel is null or withdrawal_channel in (${sqlInList(withdrawalChannels)}))`,
      ),
    ),
    index('consents_person_idx').on(t.personId),
  ],
);
