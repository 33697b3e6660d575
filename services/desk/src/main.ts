import { once } from 'node:events';
import { openDatabase } from '@parcours/db';
import { createLogger } from '@parcours/observability';
import { createApp } from './app.ts';
import { parseDeskEnv } from './env.ts';
import { backfillMatchKeys, identityMatchSecretOf } from './features/persons/person-match.ts';
import { listenDesk } from './http/listen.ts';

/** Starts the desk alone, on PostgreSQL. `npm start` composes it with the worker instead. */
async function main(): Promise<void> {
  const env = parseDeskEnv();
  const logger = createLogger({ name: 'desk', level: env.LOG_LEVEL });
  const database = await openDatabase({ url: env.DATABASE_URL });
  // Persons recorded without match keys become findable across structures (idempotent; several desks may race).
  await backfillMatchKeys(database.db, identityMatchSecretOf(env.IDENTITY_MATCH_SECRET, env.SESSION_SECRET));
  const app = createApp({
    db: database.db,
    logger,
    sessionSecret: env.SESSION_SECRET,
    redisUrl: env.REDIS_URL ?? null,
    metricsToken: env.METRICS_TOKEN ?? null,
    ...(env.AUDIT_DIGEST_KEY ? { auditDigestKey: env.AUDIT_DIGEST_KEY } : {}),
    ...(env.PARTNER_LINK_SECRET ? { partnerLinkSecret: env.PARTNER_LINK_SECRET } : {}),
    ...(env.IDENTITY_MATCH_SECRET ? { identityMatchSecret: env.IDENTITY_MATCH_SECRET } : {}),
    cookieSecure: env.COOKIE_SECURE,
    allowedOrigins: env.ALLOWED_ORIGINS,
    trustProxy: env.TRUST_PROXY,
  });
  const server = listenDesk(app, env.PORT);
  await once(server, 'listening');
  logger.info({ port: env.PORT }, 'desk listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'desk shutting down');
    // A request still running must not find its database gone, so, in order:
    // 1. stop accepting connections and let requests in flight finish;
    // 2. close idle keep-alive sockets so step 1 does not wait for them;
    // 3. only then close the database pool;
    // 4. exit, forcibly if something hangs past the deadline.
    const deadline = setTimeout(() => {
      logger.error('desk shutdown timed out');
      process.exit(1);
    }, 10_000);
    deadline.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await database.close();
    logger.info('desk stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad environment): stderr is the only place left.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
