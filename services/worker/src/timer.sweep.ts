import { caseTimers, type Database, systemActor, withActor } from '@parcours/db';
import { type EngineClock, fireTimer, listDueTimers } from '@parcours/engine';
import { timerDeliveryJobId } from '@parcours/jobs';
import type { Logger } from '@parcours/observability';
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { JobQueue } from './jobs/job-queue.ts';

export interface TimerSweepDeps {
  db: Database;
  jobs: JobQueue;
  clock: EngineClock;
  logger: Logger;
  /** How far ahead deliveries are (re)scheduled: at least the time until the next sweep. */
  lookAheadMs: number;
  batchSize?: number;
}

/**
 * The safety net under the queues. Fires every armed timer already due (a delivery Redis lost, or that
 * died with an in-process runner), and schedules again the deliveries of timers due before the next
 * sweep (a no-op where the queue still holds them, under the same job id).
 */
export async function sweepTimers(deps: TimerSweepDeps): Promise<{ fired: number; scheduled: number }> {
  const { db, clock, logger } = deps;
  const batchSize = deps.batchSize ?? 100;
  let fired = 0;
  // Bounded, so that a timer that keeps failing cannot hold the sweep: it is retried next round.
  for (let round = 0; round < 20; round += 1) {
    const due = await listDueTimers(db, clock.now(), batchSize);
    let firedThisRound = 0;
    for (const timer of due) {
      try {
        if ((await fireTimer(db, timer, { clock })) === 'fired') firedThisRound += 1;
      } catch (error) {
        logger.error({ timerRowId: timer.timerRowId, err: error }, 'sweep could not fire timer');
      }
    }
    fired += firedThisRound;
    if (due.length < batchSize || firedThisRound === 0) break;
  }

  const now = clock.now();
  // Timers are under row-level security: the sweep reads them as the system.
  const upcoming = await withActor(db, systemActor, (tx) =>
    tx
      .select({ timerRowId: caseTimers.id, armedRevision: caseTimers.armedRevision, dueAt: caseTimers.dueAt })
      .from(caseTimers)
      .where(
        and(
          eq(caseTimers.status, 'armed'),
          gt(caseTimers.dueAt, now),
          lte(caseTimers.dueAt, new Date(now.getTime() + deps.lookAheadMs)),
        ),
      )
      .orderBy(asc(caseTimers.dueAt))
      .limit(1000),
  );
  for (const { dueAt, ...timer } of upcoming) {
    await deps.jobs.enqueue('timer.deliver', timer, {
      jobId: timerDeliveryJobId(timer),
      delayMs: dueAt.getTime() - now.getTime(),
    });
  }
  if (fired > 0) logger.info({ fired }, 'sweep fired due timers');
  return { fired, scheduled: upcoming.length };
}
