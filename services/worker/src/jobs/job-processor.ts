import type { Database } from '@parcours/db';
import { recordJobFailure } from '@parcours/job-store';
import { isJobName, type JobName, type JobPayload, PoisonPayloadError, parsePayload, type RetryPolicy } from '@parcours/jobs';
import { type Logger, safeErrorText } from '@parcours/observability';
import { completeOutboxRow } from '../outbox.relay.ts';
import type { JobProcessor, QueuedJob } from '../runners/job-runner.ts';

export interface JobContext<N extends JobName = JobName> {
  name: N;
  /** The outbox row id for relayed jobs; the delivery id for timer deliveries. */
  id: string;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, job: JobContext<N>) => Promise<void>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

/** What job_failures keeps of an error: never a statement or its parameters. */
const messageOf = safeErrorText;

/**
 * The one way a job runs, whichever runner delivers it: validate the payload (a poison payload fails at
 * once), run the handler, and record in job_failures a job that will not be tried again.
 */
export function createJobProcessor(deps: {
  db: Database;
  logger: Logger;
  handlers: JobHandlers;
  retryPolicyOf: (name: JobName) => RetryPolicy;
}): JobProcessor {
  const { db, logger } = deps;
  return async (job: QueuedJob) => {
    const log = logger.child({ job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
    let payload: unknown;
    try {
      if (!isJobName(job.name)) throw new PoisonPayloadError(`unknown job ${job.name}`);
      payload = parsePayload(job.name, job.data);
    } catch (error) {
      log.error({ err: error }, 'poison job: failed without retry');
      await recordJobFailure(db, {
        jobName: job.name,
        jobId: job.id,
        payload: job.data,
        error: messageOf(error),
        attempts: job.attemptsMade + 1,
        poison: true,
        failedAt: new Date(),
      });
      await completeOutboxRow(db, job.id);
      throw error;
    }
    const name = job.name as JobName;
    try {
      await (deps.handlers[name] as JobHandler<JobName>)(payload as JobPayload<JobName>, { name, id: job.id });
      // Done when PostgreSQL says so: from here the row is no longer owed, whatever becomes of the queue.
      await completeOutboxRow(db, job.id);
      log.debug('job done');
    } catch (error) {
      const finalAttempt = job.attemptsMade + 1 >= deps.retryPolicyOf(name).attempts;
      log[finalAttempt ? 'error' : 'warn']({ err: error }, finalAttempt ? 'job failed for good' : 'job failed, will retry');
      if (finalAttempt) {
        await recordJobFailure(db, {
          jobName: name,
          jobId: job.id,
          payload,
          error: messageOf(error),
          attempts: job.attemptsMade + 1,
          poison: false,
          failedAt: new Date(),
        });
        await completeOutboxRow(db, job.id);
      }
      throw error;
    }
  };
}
