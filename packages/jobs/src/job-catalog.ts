import { z } from 'zod';

/**
 * Every job the worker runs: its queue, the payload it accepts (validated when enqueued and again when
 * run) and its retry policy. Payloads carry ids and codes only, never personal data.
 */
const timerRef = z.object({ timerRowId: z.uuid(), armedRevision: z.number().int().min(0) });

/** `at`: when the transition that wrote the effect happened (absent on rows written before it was added). */
const effectAt = z.iso.datetime({ offset: true }).optional();
const effectPayload = <P extends z.ZodType>(params: P) =>
  z.object({ caseId: z.uuid(), referralId: z.uuid().nullable(), revision: z.number().int().min(0), at: effectAt, params });
const referralEffectPayload = z.object({
  caseId: z.uuid(),
  referralId: z.uuid(),
  revision: z.number().int().min(0),
  at: effectAt,
  params: z.object({}),
});

export interface RetryPolicy {
  /** Runs in total, the first included. */
  attempts: number;
  /** Exponential: the n-th retry waits delayMs × 2^(n-1). */
  backoff: { type: 'exponential'; delayMs: number };
}

const timerRetries: RetryPolicy = { attempts: 5, backoff: { type: 'exponential', delayMs: 2_000 } };
// SMTP servers throttle and go down for maintenance: try for about ten minutes before giving up.
const mailRetries: RetryPolicy = { attempts: 8, backoff: { type: 'exponential', delayMs: 5_000 } };

export const jobCatalog = {
  /** Relayed from the outbox: schedule the delivery of a timer the engine armed. */
  'timer.armed': {
    queue: 'timers',
    schema: timerRef.extend({ dueAt: z.iso.datetime({ offset: true }) }),
    retry: timerRetries,
  },
  /** Relayed from the outbox: drop the scheduled delivery of a cancelled timer (the row already says so). */
  'timer.cancelled': { queue: 'timers', schema: timerRef, retry: timerRetries },
  /**
   * A delayed job, due when the timer is. Its id names the arming, so re-arming schedules a new job instead
   * of being swallowed as a duplicate of the old one.
   */
  'timer.deliver': {
    queue: 'timers',
    schema: timerRef,
    retry: timerRetries,
    jobId: (payload: z.infer<typeof timerRef>) => timerDeliveryJobId(payload),
  },
  'effect.notifyCaseAssigned': {
    queue: 'notifications',
    schema: effectPayload(z.object({ agentId: z.uuid() })),
    retry: mailRetries,
  },
  'effect.notifyDeadlinePassed': {
    queue: 'notifications',
    schema: effectPayload(z.object({ stage: z.string().min(1).max(40) })),
    retry: mailRetries,
  },
  'effect.remindPartner': { queue: 'notifications', schema: referralEffectPayload, retry: mailRetries },
  'effect.escalateToSenderSupervisor': { queue: 'notifications', schema: referralEffectPayload, retry: mailRetries },
  /** Written by the engine when a partner answers a referral: the case's followers are told. */
  'effect.notifyReferralAnswered': {
    queue: 'notifications',
    schema: referralEffectPayload.extend({ params: z.object({ status: z.string().min(1).max(40) }) }),
    retry: mailRetries,
  },
  /**
   * Written by the engine when a referral is sent: the receiving organisation's partner agents who chose one
   * mail per referral are told (the others read it in their half-day digest, which needs no job).
   */
  'effect.notifyReferralSent': { queue: 'notifications', schema: referralEffectPayload, retry: mailRetries },
  /**
   * Written by the desk when a consent stops allowing sharing (withdrawn, or overridden by an opposition):
   * its recipient organisations are told their access ended.
   */
  'consent.withdrawn': {
    queue: 'notifications',
    schema: z.object({
      consentId: z.uuid(),
      endedAt: z.iso.datetime({ offset: true }),
      /** The organisations to tell (a part withdrawn tells only those who lost access); absent: every recipient. */
      recipientOrganisationIds: z.array(z.uuid()).max(100).optional(),
    }),
    retry: mailRetries,
  },
  /**
   * Written by the desk when an administrator hands in a directory file: the worker reads, checks and writes
   * it in batches (`@parcours/directory-store` runDirectoryImport), its progress and report kept in its row.
   * Running it twice does nothing more (a finished import is left as it is; writes are upserts).
   */
  'directory.import': {
    queue: 'directory',
    schema: z.object({ importId: z.uuid() }),
    retry: { attempts: 3, backoff: { type: 'exponential', delayMs: 10_000 } },
  },
} as const;

export type JobCatalog = typeof jobCatalog;
export type JobName = keyof JobCatalog;
export type JobPayload<N extends JobName> = z.infer<JobCatalog[N]['schema']>;
export type QueueName = JobCatalog[JobName]['queue'];

export const jobNames = Object.keys(jobCatalog) as JobName[];
export const queueNames = [...new Set(jobNames.map((name) => jobCatalog[name].queue))] as QueueName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobCatalog, name);
}

export function timerDeliveryJobId(timer: { timerRowId: string; armedRevision: number }): string {
  return `timer:${timer.timerRowId}:${timer.armedRevision}`;
}

/**
 * The job id a payload runs under: the catalog's own rule when it has one (timer deliveries), else the
 * outbox row id, so that relaying the same row twice is recognised as the same job.
 */
export function jobIdOf(name: JobName, payload: unknown, outboxRowId: string): string {
  const definition = jobCatalog[name];
  return 'jobId' in definition ? definition.jobId(payload as never) : outboxRowId;
}

/** Thrown for a payload that can never succeed: the job fails at once, without retry. */
export class PoisonPayloadError extends Error {
  override readonly name = 'PoisonPayloadError';
}

export function parsePayload<N extends JobName>(name: N, payload: unknown): JobPayload<N> {
  const parsed = jobCatalog[name].schema.safeParse(payload);
  if (!parsed.success) {
    // Issue paths and codes only: the rejected values stay out of the message (and so out of logs).
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`).join('; ');
    throw new PoisonPayloadError(`${name} payload rejected (${issues})`);
  }
  return parsed.data as JobPayload<N>;
}

/**
 * Refuses to boot a worker that would leave jobs unhandled: every catalogued job needs a handler, and
 * every job name the engine writes to the outbox needs a catalog entry.
 */
export function assertCatalogComplete(handlerNames: Iterable<string>, engineJobNames: readonly string[]): void {
  const handled = new Set(handlerNames);
  const withoutHandler = jobNames.filter((name) => !handled.has(name));
  const uncatalogued = engineJobNames.filter((name) => !isJobName(name));
  if (withoutHandler.length > 0 || uncatalogued.length > 0) {
    throw new Error(
      `Job catalog incomplete: without handler [${withoutHandler.join(', ')}]; written by the engine but not catalogued [${uncatalogued.join(', ')}]`,
    );
  }
}

/**
 * An outbox row for a job, its payload checked against the job's schema where it is written (the desk, the
 * engine), so that a writer and the worker's handler cannot disagree on a name or a payload.
 */
export function outboxRowOf<N extends JobName>(name: N, payload: JobPayload<N>): { jobName: N; payload: JobPayload<N> } {
  return { jobName: name, payload: parsePayload(name, payload) };
}
