import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { dataCategories, referralPurposes, sqlInList } from './enums.ts';
import { agents, cases, organisations, persons, referrals } from './tables.ts';

/**
 * Sharing consent (issue 7): CSP L.1110-4, CASF L.121-6-2, décret 2016-1349. Sharing a person's data with
 * another institution outside a care team needs their prior consent, given after being told what is
 * shared, with whom, by what means and with which security. An opposition blocks every non-mandatory
 * sharing. Closed vocabularies live here, next to the CHECK constraints; @parcours/consent imports them.
 */

/** A consent to sharing, or an opposition to any sharing. */
export const consentDecisions = ['consent', 'opposition'] as const;
export type ConsentDecision = (typeof consentDecisions)[number];

/** Who expressed it: the person, or their legal representative (recorded as such). */
export const consentGivers = ['person', 'legal_representative'] as const;
export type ConsentGiver = (typeof consentGivers)[number];

export const consentMethods = ['oral_attested', 'signed_paper', 'digital'] as const;
export type ConsentMethod = (typeof consentMethods)[number];

/** The four pieces of information the person must have been given before consenting. */
export const consentInformationItems = ['what_is_shared', 'with_whom', 'by_what_means', 'which_security'] as const;
export type ConsentInformationItem = (typeof consentInformationItems)[number];

export const withdrawalChannels = ['in_person', 'phone', 'email', 'postal_mail', 'digital'] as const;
export type WithdrawalChannel = (typeof withdrawalChannels)[number];

/** Who withdrew: the person, their legal representative (through an agent), or the agent on a documented request. */
export const withdrawers = ['person', 'legal_representative'] as const;
export type Withdrawer = (typeof withdrawers)[number];

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const instant = (name: string) => timestamp(name, { withTimezone: true });

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

/**
 * A signed link through which a partner without an account answers one referral. Only the SHA-256 of the
 * token is stored; the token itself (the link id and an HMAC, nothing personal) is shown once to the agent
 * who issued it. Valid 8 days; used once the partner's answer is final (declined, appointment set).
 */
export const partnerLinks = pgTable(
  'partner_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** The referral's case, filled by a trigger: row-level security reads it without querying referrals. */
    caseId: uuid('case_id').references(() => cases.id),
    tokenSha256: text('token_sha256').notNull(),
    issuedByAgentId: uuid('issued_by_agent_id')
      .notNull()
      .references(() => agents.id),
    issuedAt: instant('issued_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
    revokedAt: instant('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('partner_links_token_key').on(t.tokenSha256),
    index('partner_links_referral_idx').on(t.referralId),
    check('partner_links_expiry_check', sql`expires_at > issued_at`),
  ],
);

/**
 * The note that goes with handing the référent role to another organisation. Free text for the new
 * référent, so it lives here and never in case_events (codes and ids only). Written in the engine step's
 * transaction, with the consent that allowed the handover.
 */
export const referentHandovers = pgTable(
  'referent_handovers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    fromOrganisationId: uuid('from_organisation_id')
      .notNull()
      .references(() => organisations.id),
    toOrganisationId: uuid('to_organisation_id')
      .notNull()
      .references(() => organisations.id),
    toAgentId: uuid('to_agent_id').references(() => agents.id),
    note: text('note').notNull(),
    consentId: uuid('consent_id').references(() => consents.id),
    byAgentId: uuid('by_agent_id')
      .notNull()
      .references(() => agents.id),
    /** The case revision the handover produced. */
    revision: integer('revision').notNull(),
    at: instant('at').notNull(),
  },
  (t) => [index('referent_handovers_case_idx').on(t.caseId, t.at)],
);
