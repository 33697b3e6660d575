import { sql } from 'drizzle-orm';
import { date, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

/**
 * Supervision's read model (issue 17), maintained from the journey's log by the worker's projection
 * (`@parcours/supervision-store`) and rebuildable from it by one command. No person data: ids of cases and
 * referrals in the facts (the fold's memory), codes and counts in the aggregates. Dimensions are text and
 * '' means "none", so every cell has one key; bundle and channel also hold `*`, the cells summed over all
 * their values (`@parcours/supervision`'s `allValues`).
 */

/** What the fold remembers of each case: the first time each measured fact happened. */
export const supervisionCaseFacts = pgTable(
  'supervision_case_facts',
  {
    caseId: uuid('case_id').primaryKey(),
    territoryId: text('territory_id').notNull(),
    entryOrganisationId: text('entry_organisation_id').notNull(),
    referentOrganisationId: text('referent_organisation_id').notNull(),
    channel: text('channel').notNull(),
    commune: text('commune').notNull(),
    openedAt: instant('opened_at').notNull(),
    firstContactAt: instant('first_contact_at'),
    assessmentCompletedAt: instant('assessment_completed_at'),
    firstReferralSentAt: instant('first_referral_sent_at'),
    firstAppointmentAt: instant('first_appointment_at'),
    closedAt: instant('closed_at'),
    closureReason: text('closure_reason'),
    handoverAt: instant('handover_at'),
    /** The journey's stage now (`reception` … `closed`), since when, and since when past its deadline. */
    stage: text('stage').notNull(),
    stageSince: instant('stage_since').notNull(),
    stageOverdueAt: instant('stage_overdue_at'),
  },
  (t) => [index('supervision_case_facts_overdue_idx').on(t.territoryId).where(sql`stage_overdue_at is not null`)],
);

export const supervisionReferralFacts = pgTable(
  'supervision_referral_facts',
  {
    referralId: uuid('referral_id').primaryKey(),
    caseId: uuid('case_id').notNull(),
    partnerOrganisationId: text('partner_organisation_id').notNull(),
    bundle: text('bundle').notNull(),
    sentAt: instant('sent_at'),
    answeredAt: instant('answered_at'),
    acceptedAt: instant('accepted_at'),
    firstAppointmentAt: instant('first_appointment_at'),
    endedAt: instant('ended_at'),
    finalStatus: text('final_status'),
    territoryId: text('territory_id').notNull(),
    /** When its reminder, escalation deadline fell due while it still awaited an answer. */
    remindedAt: instant('reminded_at'),
    escalatedAt: instant('escalated_at'),
  },
  (t) => [
    index('supervision_referral_facts_case_idx').on(t.caseId),
    index('supervision_referral_facts_breach_idx')
      .on(t.territoryId, t.partnerOrganisationId)
      .where(sql`reminded_at is not null and answered_at is null and final_status is null`),
  ],
);

export const supervisionContactFacts = pgTable('supervision_contact_facts', {
  contactId: uuid('contact_id').primaryKey(),
  caseId: uuid('case_id'),
});

export const supervisionRightFacts = pgTable(
  'supervision_right_facts',
  {
    caseId: uuid('case_id').notNull(),
    right: text('right').notNull(),
    assessmentId: uuid('assessment_id').notNull(),
    status: text('status').notNull(),
    nonTakeUpReason: text('non_take_up_reason'),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.right] })],
);

/** Delay histograms: how many measures of a stage took `days` days, per month and dimensions. They add up. */
export const supervisionDelays = pgTable(
  'supervision_delays',
  {
    territoryId: text('territory_id').notNull(),
    month: date('month').notNull(),
    stage: text('stage').notNull(),
    entryOrganisationId: text('entry_organisation_id').notNull(),
    partnerOrganisationId: text('partner_organisation_id').notNull(),
    bundle: text('bundle').notNull(),
    channel: text('channel').notNull(),
    dayKind: text('day_kind').notNull(),
    days: integer('days').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'supervision_delays_pk',
      // Bundle and channel first: a report reads either their `*` cells (summed over all) or one value's.
      columns: [
        t.territoryId,
        t.bundle,
        t.channel,
        t.stage,
        t.dayKind,
        t.month,
        t.entryOrganisationId,
        t.partnerOrganisationId,
        t.days,
      ],
    }),
  ],
);

/** Counted facts (activity, referrals lost, non-take-up funnels) per month and dimensions. They add up. */
export const supervisionCounts = pgTable(
  'supervision_counts',
  {
    territoryId: text('territory_id').notNull(),
    month: date('month').notNull(),
    measure: text('measure').notNull(),
    entryOrganisationId: text('entry_organisation_id').notNull(),
    partnerOrganisationId: text('partner_organisation_id').notNull(),
    bundle: text('bundle').notNull(),
    channel: text('channel').notNull(),
    commune: text('commune').notNull(),
    code: text('code').notNull(),
    detail: text('detail').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'supervision_counts_pk',
      columns: [
        t.territoryId,
        t.bundle,
        t.channel,
        t.measure,
        t.month,
        t.entryOrganisationId,
        t.partnerOrganisationId,
        t.commune,
        t.code,
        t.detail,
      ],
    }),
  ],
);

/**
 * Where the projection stands: every row written by a transaction whose id is below `processedBelow` has
 * been folded. One row.
 */
export const supervisionProjection = pgTable('supervision_projection', {
  name: text('name').primaryKey(),
  processedBelow: text('processed_below').notNull().default(sql`'0'`),
  updatedAt: instant('updated_at').notNull().defaultNow(),
  /** The last time a batch found nothing more to fold: the figures hold every event committed before it. */
  caughtUpAt: instant('caught_up_at'),
});
