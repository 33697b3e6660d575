import { actorKinds, caseMemberRoles, receptionChannels, timerStatuses } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents.ts';
import { createdAt, instant, transactionId } from './columns.ts';
import { sqlInList } from './enums.ts';
import { persons } from './persons.ts';
import { referrals } from './referrals.ts';
import { organisations, territories } from './territory.ts';

/**
 * Cases: the journey's row (snapshot, revision), its members, who may see it, its event log and its
 * durable timers. Only the engine writes them.
 */

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    territoryId: text('territory_id')
      .notNull()
      .references(() => territories.id),
    entryOrganisationId: uuid('entry_organisation_id')
      .notNull()
      .references(() => organisations.id),
    channel: text('channel').notNull(),
    /** The request in the person's own words (demande exprimée), kept apart from identified needs. */
    expressedRequest: text('expressed_request').notNull(),
    referentOrganisationId: uuid('referent_organisation_id')
      .notNull()
      .references(() => organisations.id),
    referentAgentId: uuid('referent_agent_id').references(() => agents.id),
    machineId: text('machine_id').notNull(),
    machineVersion: integer('machine_version').notNull(),
    /** The machine's persisted snapshot: the only truth about the journey's state. */
    snapshot: jsonb('snapshot').notNull(),
    stateValue: jsonb('state_value').notNull(),
    /** Top-level journey stage derived from stateValue, for filters and delay measurement. */
    stage: text('stage').notNull(),
    closedAt: instant('closed_at'),
    closureReason: text('closure_reason'),
    revision: integer('revision').notNull().default(0),
    openedByAgentId: uuid('opened_by_agent_id').references(() => agents.id),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('cases_channel_check', sql.raw(`channel in (${sqlInList(receptionChannels)})`)),
    check('cases_revision_check', sql`revision >= 0`),
    index('cases_entry_organisation_idx').on(t.entryOrganisationId, t.stage),
    index('cases_referent_organisation_idx').on(t.referentOrganisationId, t.stage),
  ],
);

/** A case may concern a household: each member with a role, including a legal representative. */
export const caseMembers = pgTable(
  'case_members',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    role: text('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.personId] }),
    check('case_members_role_check', sql.raw(`role in (${sqlInList(caseMemberRoles)})`)),
    index('case_members_person_idx').on(t.personId),
  ],
);

/**
 * Which organisations a case is shared with: the entry point, every référent it has had, and both ends of
 * every referral. Read by the row-level security policies (one indexed lookup instead of policies that
 * would query each other); written only by triggers on `cases` and `referrals`, never by application code.
 * Rows are never removed while the case exists: access that the application no longer grants (a former
 * référent) is refused by the application's policy, the database only bounds it.
 */
export const caseAccess = pgTable(
  'case_access',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.organisationId] }),
    index('case_access_organisation_idx').on(t.organisationId, t.caseId),
  ],
);

/**
 * Append-only log of every transition of a case's journey or of one of its referrals. From-state,
 * to-state and `at` are enough to compute the time spent in every stage.
 */
export const caseEvents = pgTable(
  'case_events',
  {
    sequence: bigserial('sequence', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    /** Set when the event moved a referral rather than the journey. */
    referralId: uuid('referral_id').references(() => referrals.id),
    /** Revision of the case (or referral) this event produced. */
    revision: integer('revision').notNull(),
    eventType: text('event_type').notNull(),
    /** The event's payload: codes and ids only, never a name. */
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    actorOrganisationId: uuid('actor_organisation_id').references(() => organisations.id),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    machineVersion: integer('machine_version').notNull(),
    at: instant('at').notNull(),
    /** Supervision's projection reads the log in commit order through it (see columns.ts). */
    transactionId: transactionId(),
  },
  (t) => [
    check('case_events_actor_kind_check', sql.raw(`actor_kind in (${sqlInList(actorKinds)})`)),
    uniqueIndex('case_events_case_revision_key').on(t.caseId, t.revision).where(sql`referral_id is null`),
    uniqueIndex('case_events_referral_revision_key').on(t.referralId, t.revision).where(sql`referral_id is not null`),
    index('case_events_transaction_idx').on(t.transactionId),
    // The partners' digest lists the referrals sent in a half-day.
    index('case_events_referral_sent_idx').on(t.at).where(sql`event_type = 'SEND' and referral_id is not null`),
  ],
);

/**
 * Durable deadlines. One row per (subject, timer): re-arming updates due_at and armed_revision, so a
 * job scheduled for an older arming can recognise itself as stale. The row is the truth; queues only
 * deliver it on time.
 */
export const caseTimers = pgTable(
  'case_timers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    referralId: uuid('referral_id').references(() => referrals.id),
    /** The case id or the referral id: what the timer's event is sent to. */
    subjectId: uuid('subject_id').notNull(),
    /** The machine's delayed event type, e.g. xstate.after.referralReminder.referral.awaitingAnswer */
    timerId: text('timer_id').notNull(),
    delayName: text('delay_name').notNull(),
    dueAt: instant('due_at').notNull(),
    armedRevision: integer('armed_revision').notNull(),
    status: text('status').notNull(),
    firedAt: instant('fired_at'),
    cancelledAt: instant('cancelled_at'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('case_timers_status_check', sql.raw(`status in (${sqlInList(timerStatuses)})`)),
    uniqueIndex('case_timers_subject_timer_key').on(t.subjectId, t.timerId),
    index('case_timers_due_idx').on(t.dueAt).where(sql`status = 'armed'`),
  ],
);
