import type { JobName } from '@parcours/jobs';
import { PoisonPayloadError } from '@parcours/jobs';
import type { Logger } from '@parcours/observability';
import { type AddJobOptions, backoffDelayMs, type JobProcessor, type JobRunner } from './job-runner.ts';

// setTimeout fires at once beyond this; longer delays are waited out in steps.
const longestTimeoutMs = 2 ** 31 - 1;

interface PendingJob {
  name: JobName;
  id: string;
  data: unknown;
  options: AddJobOptions;
  attemptsMade: number;
  runAt: number;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

/**
 * Runs jobs in this process, for the embedded default (one process, no Redis). Delayed jobs are timers in
 * memory: they die with the process, which is fine because the rows are the truth: the timer sweep
 * schedules every deadline again as it comes due, and the worker relays recent outbox rows again at start.
 */
export function createInProcessRunner(options: { logger: Logger }): JobRunner {
  const jobs = new Map<string, PendingJob>();
  let processor: JobProcessor | null = null;
  let stopped = false;

  const keyOf = (name: JobName, jobId: string) => `${name}\u0000${jobId}`;

  function arm(job: PendingJob): void {
    if (stopped || !processor) return;
    const wait = Math.max(0, job.runAt - Date.now());
    job.timer = setTimeout(
      () => {
        job.timer = null;
        if (Date.now() < job.runAt) arm(job);
        else job.running = run(job);
      },
      Math.min(wait, longestTimeoutMs),
    );
  }

  async function run(job: PendingJob): Promise<void> {
    const key = keyOf(job.name, job.id);
    try {
      await (processor as JobProcessor)({ name: job.name, id: job.id, data: job.data, attemptsMade: job.attemptsMade });
      jobs.delete(key);
    } catch (error) {
      job.attemptsMade += 1;
      const retryable = !(error instanceof PoisonPayloadError) && job.attemptsMade < job.options.retry.attempts;
      if (!retryable || stopped) {
        jobs.delete(key);
        return;
      }
      job.runAt = Date.now() + backoffDelayMs(job.options.retry, job.attemptsMade);
      arm(job);
    } finally {
      job.running = null;
    }
  }

  return {
    kind: 'in-process',
    async add(name, data, addOptions) {
      const key = keyOf(name, addOptions.jobId);
      if (jobs.has(key)) return;
      const job: PendingJob = {
        name,
        id: addOptions.jobId,
        data,
        options: addOptions,
        attemptsMade: 0,
        runAt: Date.now() + (addOptions.delayMs ?? 0),
        timer: null,
        running: null,
      };
      jobs.set(key, job);
      arm(job);
    },
    async remove(name, jobId) {
      const key = keyOf(name, jobId);
      const job = jobs.get(key);
      if (!job || job.running) return;
      if (job.timer) clearTimeout(job.timer);
      jobs.delete(key);
    },
    async start(jobProcessor) {
      processor = jobProcessor;
      stopped = false;
      for (const job of jobs.values()) if (!job.timer && !job.running) arm(job);
    },
    async stop() {
      stopped = true;
      for (const job of jobs.values()) {
        if (job.timer) clearTimeout(job.timer);
        job.timer = null;
      }
      const running = [...jobs.values()].flatMap((job) => (job.running ? [job.running] : []));
      await Promise.allSettled(running);
      // Waiting and delayed jobs are dropped with the memory that held them. Nothing is lost: the sweep
      // reschedules timers, and every relayed job stays owed until PostgreSQL records it done, so the next
      // start enqueues it again (see redispatchOwedOutbox).
      if (jobs.size > 0) options.logger.info({ dropped: jobs.size }, 'in-process jobs dropped at stop');
      jobs.clear();
    },
    async close() {},
  };
}
