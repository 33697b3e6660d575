import { type JobName, type JobPayload, parsePayload, type RetryPolicy } from '@parcours/jobs';
import type { AddJobOptions, JobRunner } from '../runners/job-runner.ts';

/** Adds catalogued jobs to a runner: the payload is validated here, and the catalog's retry policy goes with it. */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: Omit<AddJobOptions, 'retry'>): Promise<void>;
  /** For payloads from outside the type system (outbox rows): throws PoisonPayloadError when invalid. */
  enqueueUnchecked(name: JobName, payload: unknown, options: Omit<AddJobOptions, 'retry'>): Promise<void>;
  remove(name: JobName, jobId: string): Promise<void>;
}

export function createJobQueue(runner: JobRunner, retryPolicyOf: (name: JobName) => RetryPolicy): JobQueue {
  const enqueueUnchecked = async (name: JobName, payload: unknown, options: Omit<AddJobOptions, 'retry'>) => {
    await runner.add(name, parsePayload(name, payload), { ...options, retry: retryPolicyOf(name) });
  };
  return {
    enqueue: enqueueUnchecked,
    enqueueUnchecked,
    remove: (name, jobId) => runner.remove(name, jobId),
  };
}
