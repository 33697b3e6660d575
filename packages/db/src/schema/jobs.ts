import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents.ts';
import { cases } from './cases.ts';
import { createdAt, instant } from './columns.ts';

/**
 * Delivery after commit: the outbox the worker relays, e-mails recorded before they are sent, and jobs
 * that failed for good.
 */

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
    /**
     * When the job's effect was recorded here (its handler finished, or it failed for good into job_failures).
     * Until then the row is owed: a queue that lost it (Redis restarted empty, a process gone) gets it again
     * from the redispatch sweep. A job is done when PostgreSQL says so, not when a queue accepted it.
     */
    completedAt: instant('completed_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('outbox_pending_idx').on(t.availableAt).where(sql`dispatched_at is null`),
    index('outbox_owed_idx').on(t.dispatchedAt).where(sql`dispatched_at is not null and completed_at is null`),
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
    /**
     * pending → sent | failed; `uncertain`: claimed, then its sender died before recording the outcome (the
     * message may or may not have left). Never sent again automatically (a mail sent twice cannot be taken
     * back): listed for an admin, who checks and replays.
     */
    status: text('status').notNull().default('pending'),
    /** When the current attempt claimed the row: a `pending` far older than any send is stale. */
    claimedAt: instant('claimed_at').notNull().defaultNow(),
    providerMessageId: text('provider_message_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: instant('sent_at'),
  },
  (t) => [
    uniqueIndex('mail_deliveries_idempotency_key').on(t.idempotencyKey),
    check('mail_deliveries_status_check', sql`status in ('pending', 'sent', 'failed', 'uncertain')`),
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
