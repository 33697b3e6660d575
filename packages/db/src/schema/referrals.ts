import { dataCategories, referralPurposes } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents.ts';
import { cases } from './cases.ts';
import { createdAt, instant } from './columns.ts';
import { consents } from './consents.ts';
import { sqlInList } from './enums.ts';
import { organisations } from './territory.ts';

/**
 * Referrals to partner institutions, the signed links of partners without an account, and référent
 * handovers.
 */

/**
 * A referral is a case's request to a partner, with its own machine and revision. Its data categories
 * are the only ones the partner may ever see of the case.
 */
export const referrals = pgTable(
  'referrals',
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
    toServiceId: text('to_service_id'),
    purpose: text('purpose').notNull(),
    sharedCategories: text('shared_categories').array().notNull().default(sql`'{}'::text[]`),
    machineId: text('machine_id').notNull(),
    machineVersion: integer('machine_version').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    stateValue: jsonb('state_value').notNull(),
    status: text('status').notNull(),
    closedAt: instant('closed_at'),
    revision: integer('revision').notNull().default(0),
    /** The referral this one replaces after a partner redirected it. */
    redirectedFromId: uuid('redirected_from_id'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('referrals_purpose_check', sql.raw(`purpose in (${sqlInList(referralPurposes)})`)),
    check('referrals_categories_check', sql.raw(`shared_categories <@ array[${sqlInList(dataCategories)}]::text[]`)),
    index('referrals_case_idx').on(t.caseId),
    index('referrals_to_organisation_idx').on(t.toOrganisationId, t.status),
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
