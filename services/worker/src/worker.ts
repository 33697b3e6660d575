import { defaultSafetyMarginMs, sealAuditBatch } from '@parcours/audit';
import type { Database } from '@parcours/db';
import { type EngineClock, outboxJobNames, systemClock } from '@parcours/engine';
import { assertCatalogComplete, type JobName, jobCatalog, type RetryPolicy } from '@parcours/jobs';
import type { Logger } from '@parcours/observability';
import { projectSupervisionBatch } from '@parcours/supervision-store';
import { createDirectoryJobHandlers } from './jobs/directory.jobs.ts';
import { createJobProcessor, type JobHandlers } from './jobs/job-processor.ts';
import { createJobQueue } from './jobs/job-queue.ts';
import { createMailJobHandlers } from './jobs/mail.jobs.ts';
import { createTimerJobHandlers } from './jobs/timer.jobs.ts';
import { resolveStalePendingMail, stalePendingMailMs } from './mail/agent-mail.ts';
import { createMailRenderer } from './mail/mail.templates.ts';
import { createMailTransport, type MailConfig, type MailTransport } from './mail/mail.transport.ts';
import { sendReferralDigests } from './mail/referral-digest.ts';
import { redispatchOwedOutbox, relayOutboxBatch } from './outbox.relay.ts';
import { createPeriodicTask } from './periodic-task.ts';
import { createBullmqRunner } from './runners/bullmq.runner.ts';
import { createInProcessRunner } from './runners/in-process.runner.ts';
import type { JobRunner } from './runners/job-runner.ts';
import { sweepTimers } from './timer.sweep.ts';

export interface WorkerDeps {
  /** Owned by the caller, who closes it after stop(). */
  db: Database;
  logger: Logger;
  /** BullMQ on this Redis; without it, jobs run in this process (the embedded default). */
  redisUrl?: string | null;
  /** Where mail goes: a configuration (SMTP URL or capture folder), or a ready transport. */
  mail: MailConfig | MailTransport;
  /** Base URL of the app; mails link to `${publicUrl}/dossiers/<id>` (a partner: `/partenaire/orientations/<referral id>`). */
  publicUrl: string;
  /** Domain time, for deadlines. The outbox is judged on the database's own clock. */
  clock?: EngineClock;
  relayIntervalMs?: number;
  sweepIntervalMs?: number;
  /** How often the audit's new rows are sealed into its hash chain (default 60 s). */
  auditSealIntervalMs?: number;
  /** Audit rows younger than this wait for a later seal: transactions commit out of sequence order (2 min). */
  auditSafetyMarginMs?: number;
  /** How often supervision's read model folds what was committed since (default 5 s; issue 17's lag target is 60 s). */
  supervisionIntervalMs?: number;
  /** Jobs run at once per queue (BullMQ; default 8). */
  concurrency?: number;
  /** BullMQ key prefix: one per deployment sharing a Redis (one per test file). */
  queuePrefix?: string;
  /** Replaces every job's first retry delay (tests); the catalog's attempts still apply. */
  retryDelayMs?: number;
  /**
   * How often relayed jobs not yet completed are enqueued again (default 30 s), and how long after its relay a
   * job is left to its first delivery before that (default 60 s). See `redispatchOwedOutbox`.
   */
  redispatchIntervalMs?: number;
  redispatchGraceMs?: number;
  /** How often the partners' half-day digests owed are looked for (default 5 min; see mail/referral-digest.ts). */
  digestIntervalMs?: number;
  /** A mail delivery `pending` for longer was cut short by a dead worker: marked `uncertain` (default 15 min). */
  stalePendingMailMs?: number;
}

export interface ParcoursWorker {
  readonly runner: JobRunner['kind'];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The worker: relays the outbox onto a job runner, runs the catalogued handlers, and sweeps timers. It
 * does not listen on anything; `start()` and `stop()` are all there is.
 */
export function createWorker(deps: WorkerDeps): ParcoursWorker {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger;
  const relayIntervalMs = deps.relayIntervalMs ?? 1_000;
  const sweepIntervalMs = deps.sweepIntervalMs ?? 60_000;
  const retryPolicyOf = (name: JobName): RetryPolicy => {
    const policy = jobCatalog[name].retry;
    return deps.retryDelayMs === undefined ? policy : { ...policy, backoff: { ...policy.backoff, delayMs: deps.retryDelayMs } };
  };

  const runner = deps.redisUrl
    ? createBullmqRunner({ redisUrl: deps.redisUrl, logger, prefix: deps.queuePrefix, concurrency: deps.concurrency ?? 8 })
    : createInProcessRunner({ logger });
  const jobs = createJobQueue(runner, retryPolicyOf);
  const ownsTransport = !('send' in deps.mail);
  const transport = 'send' in deps.mail ? deps.mail : createMailTransport(deps.mail);
  const mailDeps = {
    db: deps.db,
    logger,
    renderer: createMailRenderer(),
    transport,
    now: () => clock.now(),
    publicUrl: deps.publicUrl.replace(/\/+$/, ''),
  };
  const handlers: JobHandlers = {
    ...createTimerJobHandlers({ db: deps.db, jobs, clock, logger }),
    ...createMailJobHandlers(mailDeps),
    ...createDirectoryJobHandlers({ db: deps.db, logger }),
  };
  // Boot check: a job without a handler, or an engine job the catalog does not know, stops us here.
  assertCatalogComplete(Object.keys(handlers), outboxJobNames());
  const processor = createJobProcessor({ db: deps.db, logger, handlers, retryPolicyOf });

  const batchSize = 200;
  const relay = createPeriodicTask(
    'outbox-relay',
    relayIntervalMs,
    async () => (await relayOutboxBatch({ db: deps.db, jobs, logger, batchSize })) === batchSize,
    logger,
  );
  const sweep = createPeriodicTask(
    'timer-sweep',
    sweepIntervalMs,
    async () => {
      await sweepTimers({ db: deps.db, jobs, clock, logger, lookAheadMs: 2 * sweepIntervalMs });
      return false;
    },
    logger,
  );

  // Requests only insert audit rows; the chain is built here, behind them (see @parcours/audit). Another
  // worker sealing at the same time waits on the sealer's advisory lock: the chain cannot fork.
  const auditSealIntervalMs = deps.auditSealIntervalMs ?? 60_000;
  const auditSeal = createPeriodicTask(
    'audit-seal',
    auditSealIntervalMs,
    async () => {
      // Operational time, like the outbox's: the margin is about transactions still running, not the domain.
      const { seal, more } = await sealAuditBatch(deps.db, {
        now: new Date(),
        safetyMarginMs: deps.auditSafetyMarginMs ?? defaultSafetyMarginMs,
      });
      if (seal) logger.info({ seal: seal.number, toSequence: seal.toSequence, rows: seal.rowCount }, 'audit sealed');
      return more;
    },
    logger,
  );

  // A job is done when PostgreSQL records it (outbox.completed_at), not when a queue accepts it: what was
  // relayed and is still owed goes back on the queue, so a Redis that lost its data, or an in-process queue
  // gone with its process, loses nothing. Stale `pending` mails (a worker died mid-send) become `uncertain`.
  const redispatchGraceMs = deps.redispatchGraceMs ?? 60_000;
  const redispatch = createPeriodicTask(
    'outbox-redispatch',
    deps.redispatchIntervalMs ?? 30_000,
    async () => {
      await resolveStalePendingMail(deps.db, logger, deps.stalePendingMailMs ?? stalePendingMailMs);
      const enqueued = await redispatchOwedOutbox({ db: deps.db, jobs, logger, graceMs: redispatchGraceMs });
      if (enqueued > 0) logger.info({ enqueued }, 'owed outbox rows enqueued again');
      return false;
    },
    logger,
  );

  // Supervision's read model follows the log from the database itself (not the outbox): a batch folds whole
  // transactions, under an advisory lock, so several workers take turns (see @parcours/supervision-store).
  const supervisionIntervalMs = deps.supervisionIntervalMs ?? 5_000;
  const supervision = createPeriodicTask(
    'supervision-projection',
    supervisionIntervalMs,
    async () => (await projectSupervisionBatch(deps.db)).more,
    logger,
  );

  // The partners' digests come from the log itself, like supervision: no queue to lose them.
  const digest = createPeriodicTask(
    'referral-digest',
    deps.digestIntervalMs ?? 5 * 60_000,
    async () => {
      const sent = await sendReferralDigests(mailDeps);
      if (sent > 0) logger.info({ sent }, 'referral digests sent');
      return false;
    },
    logger,
  );

  return {
    runner: runner.kind,
    async start() {
      await runner.start(processor);
      // What an earlier run relayed and never completed (its queue may be gone): enqueued again at once.
      let owed = 0;
      for (;;) {
        const enqueued = await redispatchOwedOutbox({ db: deps.db, jobs, logger, graceMs: 0, batchSize: 500 });
        owed += enqueued;
        if (enqueued < 500) break;
      }
      if (owed > 0) logger.info({ owed }, 'owed outbox rows enqueued again at start');
      relay.start();
      redispatch.start();
      sweep.start();
      auditSeal.start();
      supervision.start();
      digest.start();
      logger.info({ runner: runner.kind, relayIntervalMs, sweepIntervalMs }, 'worker started');
    },
    async stop() {
      // 1. Stop claiming: no outbox row is taken, no timer swept, no audit sealed, nothing folded from here on.
      await relay.stop();
      await redispatch.stop();
      await sweep.stop();
      await auditSeal.stop();
      await supervision.stop();
      await digest.stop();
      // 2. Finish or release jobs: running ones finish; BullMQ keeps the waiting ones in Redis, the
      //    in-process runner drops them (the sweep and the redelivery at start bring them back).
      await runner.stop();
      // 3. Close queues and their Redis connections.
      await runner.close();
      // 4. Close the mail transport we opened. The database is the caller's to close, last.
      if (ownsTransport) await transport.close();
      logger.info('worker stopped');
    },
  };
}
