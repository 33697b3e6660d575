import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type DatabaseHandle, openDatabase } from '@parcours/db';
import { communesOf, demoDirectory, demoTerritoryId, seedDemoHistory, seedDemoTerritory } from '@parcours/demo-territory';
import { backfillMatchKeys, createApp, identityMatchSecretOf, listenDesk } from '@parcours/desk';
import { importDirectory } from '@parcours/directory-store';
import type { Logger } from '@parcours/observability';
import { createWorker, type ParcoursWorker } from '@parcours/worker';
import type { EmbeddedEnv } from './env.ts';

export interface RunningParcours {
  readonly url: string;
  readonly backend: DatabaseHandle['backend'];
  readonly runner: ParcoursWorker['runner'];
  readonly seeded: boolean;
  stop(): Promise<void>;
}

/** A secret generated once per data folder, so sessions survive a restart of the embedded default. */
async function sessionSecretFor(dataDir: string): Promise<string> {
  const file = join(dataDir, 'session-secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch {
    // Not made yet.
  }
  const secret = randomBytes(32).toString('hex');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The one place that composes several services in one process: the embedded default behind `npm start`
 * (PGlite cannot be shared between processes). With DATABASE_URL and REDIS_URL the same composition runs
 * on PostgreSQL and BullMQ, though then each service may also run alone.
 */
export async function launchParcours(env: EmbeddedEnv, logger: Logger): Promise<RunningParcours> {
  const dataDir = resolve(env.PARCOURS_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const database = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(dataDir, 'pglite') });
  await database.migrate();
  const seed = await seedDemoTerritory(database.db);
  if (seed.seeded) {
    // The directory depends on the territory (communes, organisations), so it is seeded here, after it.
    const report = await importDirectory(database.db, demoDirectory, {
      territoryId: demoTerritoryId,
      knownCommunes: communesOf('05').map((commune) => commune.code),
    });
    logger.info({ written: report.written, rejected: report.rejected.length }, 'demo directory imported');
    // A year of history through the engine, after the directory (its referrals name directory services).
    const started = Date.now();
    const history = await seedDemoHistory(database.db, seed.organisationIds, { cases: env.PARCOURS_DEMO_HISTORY_CASES });
    logger.info({ cases: history.cases, ms: Date.now() - started }, 'demo history written');
  }
  logger.info({ backend: database.backend, seeded: seed.seeded }, 'database ready');

  const publicUrlFallback = `http://localhost:${env.PORT}`;
  const sessionSecret = env.SESSION_SECRET ?? (await sessionSecretFor(dataDir));
  // Persons recorded without match keys (the demo's, or before matching existed) can be found across structures.
  const matched = await backfillMatchKeys(database.db, identityMatchSecretOf(env.IDENTITY_MATCH_SECRET, sessionSecret));
  if (matched > 0) logger.info({ persons: matched }, 'identity match keys written');
  const app = createApp({
    db: database.db,
    logger,
    sessionSecret,
    ...(env.PARTNER_LINK_SECRET ? { partnerLinkSecret: env.PARTNER_LINK_SECRET } : {}),
    ...(env.IDENTITY_MATCH_SECRET ? { identityMatchSecret: env.IDENTITY_MATCH_SECRET } : {}),
    cookieSecure: env.COOKIE_SECURE,
    allowedOrigins: env.PUBLIC_URL ? [new URL(env.PUBLIC_URL).origin] : [],
    redisUrl: env.REDIS_URL ?? null,
    metricsToken: env.METRICS_TOKEN ?? null,
  });
  const server = listenDesk(app, env.PORT, env.HOST);
  await new Promise<void>((resolveListening, rejectListening) => {
    server.once('listening', resolveListening);
    server.once('error', rejectListening);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;

  const worker = createWorker({
    db: database.db,
    logger,
    redisUrl: env.REDIS_URL ?? null,
    mail: env.SMTP_URL
      ? { from: env.MAIL_FROM, smtpUrl: env.SMTP_URL }
      : { from: env.MAIL_FROM, captureDir: env.MAIL_CAPTURE_DIR ?? join(dataDir, 'mail') },
    publicUrl: env.PUBLIC_URL ?? (env.PORT === 0 ? url : publicUrlFallback),
  });
  await worker.start();

  let stopping: Promise<void> | null = null;
  return {
    url,
    backend: database.backend,
    runner: worker.runner,
    seeded: seed.seeded,
    stop: () => {
      // Order: stop taking requests (finish those in flight), then stop the worker (it finishes or
      // releases its jobs), then close the database both were using.
      stopping ??= (async () => {
        await new Promise<void>((resolveClosed) => {
          server.close(() => resolveClosed());
          server.closeIdleConnections();
        });
        await worker.stop();
        await database.close();
      })();
      return stopping;
    },
  };
}
