import { type Database, outbox } from '@parcours/db';
import { recordJobFailure } from '@parcours/job-store';
import { isJobName, jobIdOf, PoisonPayloadError } from '@parcours/jobs';
import { type Logger, safeErrorText } from '@parcours/observability';
import { and, asc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { JobQueue } from './jobs/job-queue.ts';

export interface OutboxRelayDeps {
  db: Database;
  jobs: JobQueue;
  logger: Logger;
  batchSize?: number;
}

/**
 * Moves one batch of outbox rows onto the queues and answers how many it claimed. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several workers relay side by side without taking the same row. Each row is
 * enqueued under its own id before it is marked dispatched: a crash in between enqueues it again on the
 * next round, which the queue recognises by its id (or the idempotent handler absorbs).
 *
 * Availability is judged on the database's clock, the one that stamped the rows.
 */
export async function relayOutboxBatch(deps: OutboxRelayDeps): Promise<number> {
  const { db, jobs, logger } = deps;
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(outbox)
      .where(and(isNull(outbox.dispatchedAt), lte(outbox.availableAt, sql`now()`)))
      .orderBy(asc(outbox.availableAt))
      .limit(deps.batchSize ?? 20)
      .for('update', { skipLocked: true });
    for (const row of rows) {
      try {
        if (!isJobName(row.jobName)) throw new PoisonPayloadError(`unknown job ${row.jobName}`);
        await jobs.enqueueUnchecked(row.jobName, row.payload, { jobId: jobIdOf(row.jobName, row.payload, row.id) });
        await tx
          .update(outbox)
          .set({ dispatchedAt: sql`now()`, attempts: row.attempts + 1, lastError: null })
          .where(eq(outbox.id, row.id));
      } catch (error) {
        const message = safeErrorText(error);
        if (error instanceof PoisonPayloadError) {
          // It would fail the same way every time: out of the outbox, into the failures an admin reviews.
          logger.error({ outboxId: row.id, job: row.jobName, err: error }, 'poison outbox row');
          await recordJobFailure(tx, {
            jobName: row.jobName,
            jobId: row.id,
            payload: row.payload,
            error: message,
            attempts: row.attempts + 1,
            poison: true,
            failedAt: new Date(),
          });
          await tx
            .update(outbox)
            .set({ dispatchedAt: sql`now()`, completedAt: sql`now()`, attempts: row.attempts + 1, lastError: message })
            .where(eq(outbox.id, row.id));
        } else {
          // The queue is unreachable: leave the row, try again later, backing off up to a minute.
          const retryInMs = Math.min(60_000, 1_000 * 2 ** row.attempts);
          logger.warn({ outboxId: row.id, job: row.jobName, err: error, retryInMs }, 'outbox row not enqueued');
          await tx
            .update(outbox)
            .set({
              attempts: row.attempts + 1,
              lastError: message,
              availableAt: sql`now() + make_interval(secs => ${retryInMs / 1000})`,
            })
            .where(eq(outbox.id, row.id));
        }
      }
    }
    return rows.length;
  });
}

/**
 * The rows relayed but not completed are owed: their job may still be waiting in the queue (a retry after a
 * refused mail), running, or lost with the queue (Redis restarted without its data, `FLUSHALL`, an in-process
 * queue gone with its process). Each is enqueued again under its own job id: a queue that still holds it
 * ignores the duplicate, one that lost it runs it, and the handler is idempotent either way. Oldest first,
 * and each one re-enqueued moves to the back (`dispatched_at` renewed), so a long backlog is walked through.
 * Answers how many rows were enqueued again.
 */
export async function redispatchOwedOutbox(deps: {
  db: Database;
  jobs: JobQueue;
  logger: Logger;
  /** Rows relayed more recently than this are left alone (their first delivery is under way). */
  graceMs: number;
  batchSize?: number;
}): Promise<number> {
  const { db, jobs, logger } = deps;
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: outbox.id, jobName: outbox.jobName, payload: outbox.payload })
      .from(outbox)
      .where(
        and(
          isNotNull(outbox.dispatchedAt),
          isNull(outbox.completedAt),
          sql`${outbox.dispatchedAt} <= now() - make_interval(secs => ${deps.graceMs / 1000})`,
        ),
      )
      .orderBy(asc(outbox.dispatchedAt))
      .limit(deps.batchSize ?? 200)
      .for('update', { skipLocked: true });
    let enqueued = 0;
    for (const row of rows) {
      if (!isJobName(row.jobName)) continue;
      try {
        await jobs.enqueueUnchecked(row.jobName, row.payload, { jobId: jobIdOf(row.jobName, row.payload, row.id) });
      } catch (error) {
        // The queue is away: the rows stay owed, the next round tries again.
        logger.warn({ outboxId: row.id, job: row.jobName, err: error }, 'owed outbox row not enqueued again');
        break;
      }
      await tx.update(outbox).set({ dispatchedAt: sql`now()` }).where(eq(outbox.id, row.id));
      enqueued += 1;
    }
    return enqueued;
  });
}

/** Records that a relayed job is done (its effect is in PostgreSQL, or it failed for good): no longer owed. */
export async function completeOutboxRow(db: Database, jobId: string): Promise<void> {
  // Only relayed jobs run under their outbox row's id; a timer delivery's id names its timer instead.
  if (!uuidPattern.test(jobId)) return;
  await db
    .update(outbox)
    .set({ completedAt: sql`now()` })
    .where(and(eq(outbox.id, jobId), isNull(outbox.completedAt)));
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
