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
  mail: env.SMTP_URL ? { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM } : { captureDir: env.MAIL_CAPTURE_DIR, from: env.MAIL_FROM },
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
await worker.start();

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  try {
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
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
