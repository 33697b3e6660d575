import type { Database } from '@parcours/db';
import { type EngineClock, fireTimer } from '@parcours/engine';
import { timerDeliveryJobId } from '@parcours/jobs';
import type { Logger } from '@parcours/observability';
import type { JobHandlers } from './job-processor.ts';
import type { JobQueue } from './job-queue.ts';

export interface TimerJobDeps {
  db: Database;
  jobs: JobQueue;
  clock: EngineClock;
  logger: Logger;
}

/**
 * The timer row is the truth; jobs only bring it on time. Scheduling twice is one job (same id),
 * delivering twice fires once (fireTimer re-reads the row), and a delivery the queue lost is fired by
 * the sweep.
 */
export function createTimerJobHandlers(
  deps: TimerJobDeps,
): Pick<JobHandlers, 'timer.armed' | 'timer.cancelled' | 'timer.deliver'> {
  return {
    'timer.armed': async ({ timerRowId, armedRevision, dueAt }) => {
      const delayMs = Math.max(0, new Date(dueAt).getTime() - deps.clock.now().getTime());
      const timer = { timerRowId, armedRevision };
      await deps.jobs.enqueue('timer.deliver', timer, { jobId: timerDeliveryJobId(timer), delayMs });
    },
    'timer.cancelled': async (timer) => {
      // Only saves a useless delivery: were it to run, it would find the row cancelled.
      await deps.jobs.remove('timer.deliver', timerDeliveryJobId(timer));
    },
    'timer.deliver': async (timer) => {
      const outcome = await fireTimer(deps.db, timer, { clock: deps.clock });
      // not_due: delivered early (clocks apart); the sweep fires it once it is due.
      deps.logger.info({ timerRowId: timer.timerRowId, armedRevision: timer.armedRevision, outcome }, 'timer delivered');
    },
  };
}
