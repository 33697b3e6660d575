import { type Database, outbox } from '@parcours/db';
import { isJobName, jobIdOf, PoisonPayloadError } from '@parcours/jobs';
import { type Logger, safeErrorText } from '@parcours/observability';
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { recordJobFailure } from './jobs/job-failures.repository.ts';
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
            .set({ dispatchedAt: sql`now()`, attempts: row.attempts + 1, lastError: message })
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
 * For the in-process runner, whose queue dies with the process: relays again the rows dispatched in the
 * last `window`, so a job that was waiting in memory (a mail between two retries, say) is not lost.
 * Handlers are idempotent, so a job that had already finished does nothing the second time.
 */
export async function redeliverRecentOutbox(db: Database, windowMs: number): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ dispatchedAt: null })
    .where(and(sql`${outbox.dispatchedAt} > now() - make_interval(secs => ${windowMs / 1000})`, isNull(outbox.lastError)))
    .returning({ id: outbox.id });
  return rows.length;
}
