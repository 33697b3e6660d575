import { membershipRoles, referralMailModes } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { sqlInList } from './enums.ts';
import { organisations } from './territory.ts';

/**
 * Agents, their memberships (agent × organisation × roles) and their sessions: staff data, no person
 * data.
 */

export const agents = pgTable(
  'agents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    /** ProConnect (OIDC) subject, once agents sign in through it. */
    oidcSubject: text('oidc_subject'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('agents_email_key').on(sql`lower(${t.email})`), uniqueIndex('agents_oidc_subject_key').on(t.oidcSubject)],
);

/** agent × organisation × roles. A session acts for exactly one of the agent's organisations. */
export const memberships = pgTable(
  'memberships',
  {
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    roles: text('roles').array().notNull(),
    /**
     * How a partner agent hears of the referrals sent to this organisation: `each` (one mail per referral) or
     * `digest` (one mail per half-day listing them, see the worker's referral digest).
     */
    referralMail: text('referral_mail').notNull().default('each'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.agentId, t.organisationId] }),
    check('memberships_roles_check', sql.raw(`cardinality(roles) > 0 and roles <@ array[${sqlInList(membershipRoles)}]::text[]`)),
    check('memberships_referral_mail_check', sql.raw(`referral_mail in (${sqlInList(referralMailModes)})`)),
    index('memberships_organisation_idx').on(t.organisationId),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    agentId: uuid('agent_id').references(() => agents.id),
    actingOrganisationId: uuid('acting_organisation_id').references(() => organisations.id),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    expiresAt: instant('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Failed logins, counted per account and per client address (both as keyed digests: neither an e-mail nor an
 * IP is stored), shared by every desk process and kept across restarts. Only failures are counted; the
 * back-off they impose is computed from `failures` and `last_failure_at` (see the desk's login throttle).
 */
export const loginFailures = pgTable('login_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: instant('last_failure_at').notNull(),
});
