import { configureAuditDigestKey, derivedAuditDigestKey, openDatabase } from '@parcours/db';
import { createLogger } from '@parcours/observability';
import { parseWorkerEnv } from './env.ts';
import { createWorker } from './worker.ts';

/** The worker alone, as its own process, on PostgreSQL. (`npm start` composes it with the desk instead.) */
const logger = createLogger({ name: 'worker' });
const env = parseWorkerEnv();
const auditKey = env.AUDIT_DIGEST_KEY ?? (env.SESSION_SECRET ? derivedAuditDigestKey(env.SESSION_SECRET) : null);
if (!auditKey) {
  process.stderr.write('Set AUDIT_DIGEST_KEY (or SESSION_SECRET, as the desk has it): audit rows must carry their digest.\n');
  process.exit(1);
}
configureAuditDigestKey(auditKey);
const database = await openDatabase({ url: env.DATABASE_URL });
const worker = createWorker({
  db: database.db,
  logger,
  redisUrl: env.REDIS_URL ?? null,
  mail: env.SMTP_URL
    ? {
        smtpUrl: env.SMTP_URL,
        from: env.MAIL_FROM,
        maxConnections: env.SMTP_MAX_CONNECTIONS,
        ...(env.SMTP_RATE_PER_SECOND ? { ratePerSecond: env.SMTP_RATE_PER_SECOND } : {}),
      }
    : { captureDir: env.MAIL_CAPTURE_DIR, from: env.MAIL_FROM },
  concurrency: env.WORKER_CONCURRENCY,
  publicUrl: env.PUBLIC_URL,
  relayIntervalMs: env.RELAY_INTERVAL_MS,
  sweepIntervalMs: env.SWEEP_INTERVAL_MS,
  queuePrefix: env.QUEUE_PREFIX,
  auditSealIntervalMs: env.AUDIT_SEAL_INTERVAL_MS,
  auditSafetyMarginMs: env.AUDIT_SAFETY_MARGIN_MS,
  redispatchIntervalMs: env.REDISPATCH_INTERVAL_MS,
  redispatchGraceMs: env.REDISPATCH_GRACE_MS,
  stalePendingMailMs: env.STALE_PENDING_MAIL_MS,
});
// Signals are heard from the start: a SIGTERM that arrives while the worker is starting stops it once started.
let started: Promise<void> = Promise.resolve();
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // Past 10 s, whatever still runs is left to recovery (BullMQ hands a locked job to another worker; a mail
  // cut short is marked uncertain): the process exits rather than hang its supervisor.
  const deadline = setTimeout(() => {
    logger.error('worker shutdown timed out');
    process.exit(1);
  }, 10_000);
  deadline.unref();
  try {
    await started.catch(() => {});
    // The worker stops claiming, lets its jobs finish, closes its queues and mail transport…
    await worker.stop();
    // …and only then the database its jobs were writing to.
    await database.close();
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'unclean shutdown');
    process.exit(1);
  }
}
// A fault the code did not expect (postgres.js throws from a socket callback when PostgreSQL restarts under
// it): one structured line, then exit 1 for the supervisor to restart the worker. Every relayed job is
// owed until PostgreSQL records it done, so the next worker finishes the work (see redispatchOwedOutbox).
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    logger.fatal({ err: error, event }, 'worker stopping on an unexpected error');
    process.exit(1);
  });
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
started = worker.start();
await started;
