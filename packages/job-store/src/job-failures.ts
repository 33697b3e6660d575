import { type Database, type Executor, jobFailures, outbox } from '@parcours/db';
import { and, desc, eq, isNull } from 'drizzle-orm';

export type JobFailure = typeof jobFailures.$inferSelect;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function recordJobFailure(
  db: Executor,
  failure: { jobName: string; jobId: string; payload: unknown; error: string; attempts: number; poison: boolean; failedAt: Date },
): Promise<void> {
  await db.insert(jobFailures).values({ ...failure, payload: failure.payload ?? null });
}

/** Failures not yet replayed, newest first. */
export async function listJobFailures(db: Database, limit = 100): Promise<JobFailure[]> {
  return db.select().from(jobFailures).where(isNull(jobFailures.replayedAt)).orderBy(desc(jobFailures.failedAt)).limit(limit);
}

export type ReplayOutcome = 'requeued' | 'not_found' | 'already_replayed';

/**
 * Puts a failed job back through the outbox, the one way jobs enter the system, so a replay works the
 * same whichever runner (and whichever process) picks it up. A job that came from an outbox row is
 * replayed under the same row, so the same job id and the same mail idempotency keys: recipients who
 * already got their message don't get it twice. Any other job (a timer delivery) gets a new row.
 */
export async function replayJobFailure(db: Database, failureId: string, now: Date): Promise<ReplayOutcome> {
  if (!uuidPattern.test(failureId)) return 'not_found';
  return db.transaction(async (tx) => {
    const [failure] = await tx.select().from(jobFailures).where(eq(jobFailures.id, failureId)).for('update');
    if (!failure) return 'not_found';
    if (failure.replayedAt) return 'already_replayed';
    const reset = uuidPattern.test(failure.jobId)
      ? await tx
          .update(outbox)
          .set({ dispatchedAt: null, completedAt: null, availableAt: now, lastError: null })
          .where(and(eq(outbox.id, failure.jobId), eq(outbox.jobName, failure.jobName)))
          .returning({ id: outbox.id })
      : [];
    if (reset.length === 0) {
      await tx.insert(outbox).values({ jobName: failure.jobName, payload: failure.payload, availableAt: now });
    }
    await tx.update(jobFailures).set({ replayedAt: now }).where(eq(jobFailures.id, failure.id));
    return 'requeued';
  });
}
