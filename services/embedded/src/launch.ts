import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type DatabaseHandle, openDatabase, territories } from '@parcours/db';
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
  /** Settles once a fresh demo's history is written and the worker started (at once on a restart). */
  readonly backgroundStarted: Promise<void>;
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
  // The demo (its data, the communes behind it: about a second to load) is read only when there is a territory to
  // seed or a demo to resume: a restart of a seeded folder does not pay for it.
  const demo =
    (await database.db.select({ id: territories.id }).from(territories).limit(1)).length === 0
      ? await import('@parcours/demo-territory')
      : null;
  const seed = demo ? await demo.seedDemoTerritory(database.db) : { seeded: false, organisationIds: {} };
  if (demo && seed.seeded) {
    // The directory depends on the territory (communes, organisations), so it is seeded here, after it.
    const report = await importDirectory(database.db, demo.demoDirectory, {
      territoryId: demo.demoTerritoryId,
      knownCommunes: demo.communesOf('05').map((commune) => commune.code),
    });
    logger.info({ written: report.written, rejected: report.rejected.length }, 'demo directory imported');
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
  // A fresh demo gets a year of history through the engine (after the directory: its referrals name services). It
  // takes about half a minute on PGlite, so the desk answers first and the history is written behind it; the worker
  // starts once it is done, so that its sweep does not fire the history's deadlines at today's date.
  const stopHistory = new AbortController();
  const historyWritten =
    demo && seed.seeded
      ? (async () => {
          const started = Date.now();
          logger.info({ cases: env.PARCOURS_DEMO_HISTORY_CASES }, 'demo history: being written behind the desk');
          const history = await demo.seedDemoHistory(database.db, seed.organisationIds, {
            cases: env.PARCOURS_DEMO_HISTORY_CASES,
            signal: stopHistory.signal,
          });
          logger.info({ cases: history.cases, ms: Date.now() - started }, 'demo history written');
        })()
      : Promise.resolve();
  const workerStarted = historyWritten
    .catch((error: unknown) => logger.error({ err: error }, 'demo history not written'))
    .then(() => (stopHistory.signal.aborted ? undefined : worker.start()));

  let stopping: Promise<void> | null = null;
  return {
    url,
    backend: database.backend,
    runner: worker.runner,
    seeded: seed.seeded,
    backgroundStarted: workerStarted,
    stop: () => {
      // Order: stop taking requests (finish those in flight), then stop the worker (it finishes or
      // releases its jobs), then close the database both were using.
      stopping ??= (async () => {
        await new Promise<void>((resolveClosed) => {
          server.close(() => resolveClosed());
          server.closeIdleConnections();
        });
        stopHistory.abort();
        await workerStarted;
        await worker.stop();
        await database.close();
      })();
      return stopping;
    },
  };
}
