import { orientationChoiceReasons } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents.ts';
import { assessments } from './assessments.ts';
import { cases } from './cases.ts';
import { createdAt, instant } from './columns.ts';
import { directoryServices } from './directory.ts';
import { sqlInList } from './enums.ts';
import { referrals } from './referrals.ts';
import { organisations } from './territory.ts';

/** Orientation choices: which service was chosen for a case, suggested or not, and why. */

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
