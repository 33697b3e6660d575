import type { JobName, RetryPolicy } from '@parcours/jobs';

/** A job as a runner hands it over: payload not yet validated. */
export interface QueuedJob {
  name: string;
  id: string;
  data: unknown;
  /** Runs that already failed before this one. */
  attemptsMade: number;
}

/** Runs one job. Throwing asks for a retry, unless the error is a PoisonPayloadError. */
export type JobProcessor = (job: QueuedJob) => Promise<void>;

export interface AddJobOptions {
  jobId: string;
  delayMs?: number;
  retry: RetryPolicy;
}

/**
 * Where jobs wait and run: BullMQ on Redis, or memory in the embedded process. Both apply the same
 * retry policy and the same id rule: adding a job whose id is already waiting, delayed or running is a
 * no-op. Neither keeps finished jobs: job_failures holds the failed ones, and handlers are idempotent, so
 * a job delivered again after it finished changes nothing.
 */
export interface JobRunner {
  readonly kind: 'bullmq' | 'in-process';
  add(name: JobName, data: unknown, options: AddJobOptions): Promise<void>;
  /** Removes a waiting or delayed job; a running one is left to finish. */
  remove(name: JobName, jobId: string): Promise<void>;
  start(processor: JobProcessor): Promise<void>;
  /** Stops taking jobs; lets running ones finish (or, on BullMQ, releases them to another worker). */
  stop(): Promise<void>;
  /** Closes connections. After stop(). */
  close(): Promise<void>;
}

/** Delay before the next run after `failedRuns` failures (1 for the first retry), as BullMQ computes it. */
export function backoffDelayMs(retry: RetryPolicy, failedRuns: number): number {
  return Math.round(retry.backoff.delayMs * 2 ** (failedRuns - 1));
}
