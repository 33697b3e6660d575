import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { dataCategories, organisationKinds, sqlInList } from './enums.ts';
import { agents, cases, organisations, referrals, territories } from './tables.ts';

/**
 * Assessment, service directory and orientation (issue 6). Their closed vocabularies live here, next to
 * the CHECK constraints that enforce them; @parcours/assessment and @parcours/orientation import them.
 */

/** draft → completed → superseded (by a newer assessment of the same case). */
export const assessmentStatuses = ['draft', 'completed', 'superseded'] as const;
export type AssessmentStatus = (typeof assessmentStatuses)[number];

/**
 * Follow-up of a potential right: identified at assessment, then requested, until one of the three
 * outcomes (opened, refused, not_requested) that non-take-up measurement counts.
 */
export const potentialRightStatuses = ['identified', 'requested', 'opened', 'refused', 'not_requested'] as const;
export type PotentialRightStatus = (typeof potentialRightStatuses)[number];

/** Why the agent chose a service (required when it was not among the suggestions). */
export const orientationChoiceReasons = [
  'best_suggestion',
  'person_preference',
  'proximity',
  'shorter_wait',
  'continuity_of_support',
  'specialised_service',
  'agent_knowledge',
  'other',
] as const;
export type OrientationChoiceReason = (typeof orientationChoiceReasons)[number];

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const instant = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A multidimensional assessment of a case. The answers follow a versioned form (form id + version);
 * once completed they never change, and a newer assessment supersedes the completed one (history kept).
 * Only the follow-up of potential rights moves after completion.
 */
export const assessments = pgTable(
  'assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    formId: text('form_id').notNull(),
    formVersion: integer('form_version').notNull(),
    status: text('status').notNull().default('draft'),
    /** { expressedRequest, needs: { <domain>: { level, urgency, note } }, caseManagement } as the form defines. */
    answers: jsonb('answers').notNull().default(sql`'{}'::jsonb`),
    /** [{ right, status, nonTakeUpReason, updatedAt }]: codes only. */
    potentialRights: jsonb('potential_rights').notNull().default(sql`'[]'::jsonb`),
    /** Data categories the answers hold (assessment, health, free_notes): what access rules will check. */
    dataCategories: text('data_categories').array().notNull().default(sql`'{assessment}'::text[]`),
    createdByAgentId: uuid('created_by_agent_id').references(() => agents.id),
    createdByOrganisationId: uuid('created_by_organisation_id').references(() => organisations.id),
    completedAt: instant('completed_at'),
    completedByAgentId: uuid('completed_by_agent_id').references(() => agents.id),
    /** The completed assessment this one replaces. */
    supersedesId: uuid('supersedes_id'),
    supersededAt: instant('superseded_at'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('assessments_status_check', sql.raw(`status in (${sqlInList(assessmentStatuses)})`)),
    check('assessments_form_version_check', sql`form_version > 0`),
    check('assessments_categories_check', sql.raw(`data_categories <@ array[${sqlInList(dataCategories)}]::text[]`)),
    check('assessments_completed_check', sql`(status = 'draft') = (completed_at is null)`),
    check('assessments_superseded_check', sql`(status = 'superseded') = (superseded_at is not null)`),
    check('assessments_supersedes_self_check', sql`supersedes_id is null or supersedes_id <> id`),
    index('assessments_case_idx').on(t.caseId, t.createdAt),
    // At most one open draft and one current (completed) assessment per case; superseded ones are history.
    uniqueIndex('assessments_case_draft_key').on(t.caseId).where(sql`status = 'draft'`),
    uniqueIndex('assessments_case_completed_key').on(t.caseId).where(sql`status = 'completed'`),
    uniqueIndex('assessments_supersedes_key').on(t.supersedesId).where(sql`supersedes_id is not null`),
  ],
);

/**
 * The service directory (Open Referral HSDS / data·inclusion compatible). Columns hold what search and
 * orientation filter on; `document` holds the whole service as imported (locations, hours, schedules…).
 */
export const directoryServices = pgTable(
  'directory_services',
  {
    /** The service's stable id in the directory file (HSDS service.id, data·inclusion service.id). */
    id: text('id').primaryKey(),
    territoryId: text('territory_id').references(() => territories.id),
    /** The Parcours organisation behind the service, when it has one (referrals go to it). */
    organisationId: uuid('organisation_id').references(() => organisations.id),
    organisationName: text('organisation_name').notNull(),
    organisationKind: text('organisation_kind').notNull(),
    name: text('name').notNull(),
    bundles: text('bundles').array().notNull(),
    /** INSEE codes of the communes served. */
    communesServed: text('communes_served').array().notNull(),
    waitingTimeDays: integer('waiting_time_days'),
    acceptsReferrals: boolean('accepts_referrals').notNull().default(false),
    active: boolean('active').notNull().default(true),
    document: jsonb('document').notNull(),
    lastVerifiedAt: text('last_verified_at'),
    importedAt: instant('imported_at').notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    check('directory_services_kind_check', sql.raw(`organisation_kind in (${sqlInList(organisationKinds)})`)),
    check('directory_services_bundles_check', sql`cardinality(bundles) > 0`),
    check('directory_services_communes_check', sql`cardinality(communes_served) > 0`),
    check('directory_services_waiting_check', sql`waiting_time_days is null or waiting_time_days >= 0`),
    index('directory_services_bundles_idx').using('gin', t.bundles),
    index('directory_services_communes_idx').using('gin', t.communesServed),
    index('directory_services_territory_idx').on(t.territoryId),
  ],
);

/**
 * The agent's orientation choices for a case: a suggested service (with its rank) or one chosen outside
 * the suggestions, which then needs a reason. Choosing creates a draft referral, linked here.
 */
export const orientationChoices = pgTable(
  'orientation_choices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    assessmentId: uuid('assessment_id').references(() => assessments.id),
    serviceId: text('service_id')
      .notNull()
      .references(() => directoryServices.id),
    suggested: boolean('suggested').notNull(),
    /** 1-based rank among the suggestions; null when chosen outside them. */
    suggestionRank: integer('suggestion_rank'),
    /** Orientation rules id and version that produced the suggestion. */
    rulesVersion: text('rules_version'),
    reasonCode: text('reason_code'),
    /** The agent's words on the choice: about the service, never about the person. */
    reasonText: text('reason_text'),
    chosenByAgentId: uuid('chosen_by_agent_id').references(() => agents.id),
    chosenByOrganisationId: uuid('chosen_by_organisation_id').references(() => organisations.id),
    chosenAt: instant('chosen_at').notNull().defaultNow(),
    referralId: uuid('referral_id').references(() => referrals.id),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'orientation_choices_reason_check',
      sql.raw(`reason_code is null or reason_code in (${sqlInList(orientationChoiceReasons)})`),
    ),
    check('orientation_choices_outside_reason_check', sql`suggested or reason_code is not null`),
    check(
      'orientation_choices_rank_check',
      sql`(suggested and suggestion_rank >= 1) or (not suggested and suggestion_rank is null)`,
    ),
    index('orientation_choices_case_idx').on(t.caseId),
    index('orientation_choices_service_idx').on(t.serviceId),
  ],
);
