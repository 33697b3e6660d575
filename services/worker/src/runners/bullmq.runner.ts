import { type JobName, jobCatalog, PoisonPayloadError, type QueueName, queueNames } from '@parcours/jobs';
import type { Logger } from '@parcours/observability';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobProcessor, JobRunner } from './job-runner.ts';

export interface BullmqRunnerOptions {
  redisUrl: string;
  logger: Logger;
  /** Namespaces every key, so that several deployments (or test files) share one Redis. */
  prefix?: string;
  concurrency?: number;
  /** How long stop() lets running jobs finish before leaving them to BullMQ's stalled-job recovery. */
  drainTimeoutMs?: number;
}

/** One BullMQ queue and worker per catalog queue; the catalog's retry policy goes with every job added. */
export function createBullmqRunner(options: BullmqRunnerOptions): JobRunner {
  const prefix = options.prefix ?? 'parcours';
  // Adding jobs fails fast when Redis is away (the relay leaves the row for the next round); workers
  // block on Redis and must retry for ever, as BullMQ requires.
  const producer = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  const consumer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  // One line when Redis goes away and one when it is back, in the structured log (not a stack trace per retry).
  for (const [role, connection] of [
    ['producer', producer],
    ['consumer', consumer],
  ] as const) {
    let down = false;
    connection.on('error', (error) => {
      if (!down) options.logger.warn({ err: error, connection: role }, 'redis connection lost');
      down = true;
    });
    connection.on('ready', () => {
      if (down) options.logger.info({ connection: role }, 'redis connection back');
      down = false;
    });
  }
  const queues = new Map<QueueName, Queue>(queueNames.map((name) => [name, new Queue(name, { connection: producer, prefix })]));
  // A queue re-emits its connection's errors: without a listener Node prints them as uncaught stack traces.
  for (const [name, queue] of queues) {
    queue.on('error', (error) => options.logger.debug({ err: error, queue: name }, 'bullmq queue error'));
  }
  const workers: Worker[] = [];

  const queueOf = (name: JobName): Queue => queues.get(jobCatalog[name].queue) as Queue;

  return {
    kind: 'bullmq',
    async add(name, data, addOptions) {
      await queueOf(name).add(name, data, {
        jobId: addOptions.jobId,
        delay: addOptions.delayMs ?? 0,
        attempts: addOptions.retry.attempts,
        backoff: { type: 'exponential', delay: addOptions.retry.backoff.delayMs },
        // Finished jobs are not kept: job_failures lists the failed ones, and a job id must be free again
        // for a replay. Handlers are idempotent, so a job relayed again after it finished does nothing.
        removeOnComplete: true,
        removeOnFail: true,
      });
    },
    async remove(name, jobId) {
      // A running (locked) job cannot be removed; it will find its timer row cancelled and do nothing.
      await queueOf(name)
        .remove(jobId)
        .catch((error: Error) => options.logger.debug({ jobId, err: error }, 'job not removed'));
    },
    async start(processor: JobProcessor) {
      for (const queueName of queueNames) {
        const worker = new Worker(
          queueName,
          async (job: Job) => {
            try {
              await processor({ name: job.name, id: job.id as string, data: job.data, attemptsMade: job.attemptsMade });
            } catch (error) {
              if (error instanceof PoisonPayloadError) throw new UnrecoverableError(error.message);
              throw error;
            }
          },
          { connection: consumer, prefix, concurrency: options.concurrency ?? 4, autorun: true },
        );
        worker.on('error', (error) => options.logger.error({ err: error, queue: queueName }, 'bullmq worker error'));
        workers.push(worker);
      }
      await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    },
    async stop() {
      // close() stops fetching and waits for running jobs; past the drain timeout we force it, and a job
      // still running is left locked until its lock expires and BullMQ hands it to another worker.
      const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
      await Promise.all(
        workers.map(async (worker) => {
          let timeout: NodeJS.Timeout | undefined;
          const forced = new Promise<void>((resolve) => {
            timeout = setTimeout(() => resolve(worker.close(true)), drainTimeoutMs);
          });
          await Promise.race([worker.close(), forced]);
          clearTimeout(timeout);
        }),
      );
      workers.length = 0;
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      await Promise.all([producer.quit().catch(() => producer.disconnect()), consumer.quit().catch(() => consumer.disconnect())]);
    },
  };
}

/** Removes every key of this prefix's queues: for tests, which each use their own prefix. */
export async function obliterateQueues(redisUrl: string, prefix: string): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    for (const name of queueNames) {
      const queue = new Queue(name, { connection, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  } finally {
    await connection.quit();
  }
}
