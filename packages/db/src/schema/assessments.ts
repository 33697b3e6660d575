import { assessmentStatuses, dataCategories } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents.ts';
import { cases } from './cases.ts';
import { createdAt, instant, transactionId } from './columns.ts';
import { sqlInList } from './enums.ts';
import { organisations } from './territory.ts';

/**
 * Multidimensional assessments of a case (issue 6): versioned answers, potential rights and their
 * follow-up.
 */

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
    /** Set again on every update by a trigger: supervision folds the assessment's latest version. */
    transactionId: transactionId(),
  },
  (t) => [
    check('assessments_status_check', sql.raw(`status in (${sqlInList(assessmentStatuses)})`)),
    check('assessments_form_version_check', sql`form_version > 0`),
    check('assessments_categories_check', sql.raw(`data_categories <@ array[${sqlInList(dataCategories)}]::text[]`)),
    check('assessments_completed_check', sql`(status = 'draft') = (completed_at is null)`),
    check('assessments_superseded_check', sql`(status = 'superseded') = (superseded_at is not null)`),
    check('assessments_supersedes_self_check', sql`supersedes_id is null or supersedes_id <> id`),
    index('assessments_case_idx').on(t.caseId, t.createdAt),
    index('assessments_transaction_idx').on(t.transactionId),
    // At most one open draft and one current (completed) assessment per case; superseded ones are history.
    uniqueIndex('assessments_case_draft_key').on(t.caseId).where(sql`status = 'draft'`),
    uniqueIndex('assessments_case_completed_key').on(t.caseId).where(sql`status = 'completed'`),
    uniqueIndex('assessments_supersedes_key').on(t.supersedesId).where(sql`supersedes_id is not null`),
  ],
);
