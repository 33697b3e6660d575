import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  actorKinds,
  caseMemberRoles,
  dataCategories,
  membershipRoles,
  organisationKinds,
  receptionChannels,
  referenceCodeLists,
  referralPurposes,
  sqlInList,
  timerStatuses,
} from './enums.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const instant = (name: string) => timestamp(name, { withTimezone: true });

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
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.agentId, t.organisationId] }),
    check('memberships_roles_check', sql.raw(`cardinality(roles) > 0 and roles <@ array[${sqlInList(membershipRoles)}]::text[]`)),
    index('memberships_organisation_idx').on(t.organisationId),
  ],
);

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
  },
  (t) => [
    check('case_events_actor_kind_check', sql.raw(`actor_kind in (${sqlInList(actorKinds)})`)),
    uniqueIndex('case_events_case_revision_key').on(t.caseId, t.revision).where(sql`referral_id is null`),
    uniqueIndex('case_events_referral_revision_key').on(t.referralId, t.revision).where(sql`referral_id is not null`),
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

/** Effects to run after commit. The row id is the job id, so a re-delivered job is recognised. */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    jobName: text('job_name').notNull(),
    /** ids and codes only: never personal data. */
    payload: jsonb('payload').notNull(),
    availableAt: instant('available_at').notNull().defaultNow(),
    dispatchedAt: instant('dispatched_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [index('outbox_pending_idx').on(t.availableAt).where(sql`dispatched_at is null`)],
);

/** Who did what to which subject, ids only: never a name, never free text about a person. */
export const auditEvents = pgTable(
  'audit_events',
  {
    sequence: bigserial('sequence', { mode: 'number' }).primaryKey(),
    at: instant('at').notNull().defaultNow(),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    organisationId: uuid('organisation_id'),
    action: text('action').notNull(),
    subjectKind: text('subject_kind').notNull(),
    subjectIds: text('subject_ids').array().notNull().default(sql`'{}'::text[]`),
    purpose: text('purpose'),
    consentId: uuid('consent_id'),
    outcome: text('outcome').notNull(),
    requestId: text('request_id'),
  },
  (t) => [
    check('audit_events_actor_kind_check', sql.raw(`actor_kind in (${sqlInList(actorKinds)})`)),
    check('audit_events_outcome_check', sql`outcome in ('allowed', 'denied', 'failed')`),
    index('audit_events_subject_idx').using('gin', t.subjectIds),
    index('audit_events_at_idx').on(t.at),
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

/** Coded reference lists (closure, decline, non-take-up reasons), seeded by migration. */
export const referenceCodes = pgTable(
  'reference_codes',
  {
    list: text('list').notNull(),
    code: text('code').notNull(),
    labelFr: text('label_fr').notNull(),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.list, t.code] }),
    check('reference_codes_list_check', sql.raw(`list in (${sqlInList(referenceCodeLists)})`)),
  ],
);

/**
 * Every e-mail is recorded before it is sent (pending → sent | failed), keyed by what caused it, so a
 * retried or re-delivered job finds the row and never sends twice.
 */
export const mailDeliveries = pgTable(
  'mail_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** `<outbox id>:<template>:<recipient agent id>`: one message per cause and recipient. */
    idempotencyKey: text('idempotency_key').notNull(),
    template: text('template').notNull(),
    recipientAgentId: uuid('recipient_agent_id').references(() => agents.id),
    caseId: uuid('case_id').references(() => cases.id),
    status: text('status').notNull().default('pending'),
    providerMessageId: text('provider_message_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: instant('sent_at'),
  },
  (t) => [
    uniqueIndex('mail_deliveries_idempotency_key').on(t.idempotencyKey),
    check('mail_deliveries_status_check', sql`status in ('pending', 'sent', 'failed')`),
  ],
);

/** Jobs that exhausted their retries or carried a poison payload: listed and replayed by an admin command. */
export const jobFailures = pgTable(
  'job_failures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    jobName: text('job_name').notNull(),
    jobId: text('job_id').notNull(),
    /** ids and codes only, as every job payload. */
    payload: jsonb('payload').notNull(),
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    poison: boolean('poison').notNull().default(false),
    failedAt: instant('failed_at').notNull().defaultNow(),
    replayedAt: instant('replayed_at'),
  },
  (t) => [index('job_failures_open_idx').on(t.failedAt).where(sql`replayed_at is null`)],
);
