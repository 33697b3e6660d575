import { randomBytes } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '@parcours/db';
import postgres from 'postgres';
import { inject } from 'vitest';
import type { DatabaseTarget, RedisTarget } from './provided-context.ts';
import { withDatabaseName } from './services.ts';

export interface TestDatabase extends DatabaseHandle {
  /** postgres:// URL of this test database, for code that opens its own connections. Null on PGlite. */
  readonly url: string | null;
  /**
   * The same database as the services see it in production: connected as `parcours_service`, a login
   * role that neither owns the tables nor is a superuser, holding only `parcours_app`'s grants. Outside
   * an actor transaction it reads no person data, so code that forgets `withActor` fails here. On PGlite
   * (one superuser connection) it is this handle: `withActor` switches role there all the same. Opened
   * once per test database; closed with it.
   */
  connectAsService(): Promise<DatabaseHandle>;
}

/** The non-owner login role tests connect as; cluster-wide like every role, created once. */
export const serviceRole = 'parcours_service';

export interface CreateTestDatabaseOptions {
  /** Force a backend; by default the one the run found (PostgreSQL, or PGlite as a fallback). */
  backend?: 'postgres' | 'pglite';
  maxConnections?: number;
}

/** The backends this run can exercise: PostgreSQL when it answers, PGlite always. */
export function availableBackends(): Array<'postgres' | 'pglite'> {
  return inject('databaseTarget').backend === 'postgres' ? ['postgres', 'pglite'] : ['pglite'];
}

/**
 * A fresh, migrated database for one test file: cloned from the run's template on PostgreSQL (fast),
 * or an in-memory PGlite migrated on the spot. Closing it drops it.
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const target = inject('databaseTarget');
  const backend = options.backend ?? target.backend;
  if (backend === 'pglite') {
    const handle = await openDatabase({ dataDir: 'memory://' });
    await handle.migrate();
    return { ...handle, url: null, connectAsService: async () => ({ ...handle, close: async () => {} }) };
  }
  if (target.backend !== 'postgres' || !target.serverUrl || !target.templateName) {
    throw new Error(`PostgreSQL is not available for this run: ${target.fallbackReason}`);
  }
  const name = `parcours_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(target.serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${target.templateName}"`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const url = withDatabaseName(target.serverUrl, name);
  const handle = await openDatabase({ url, maxConnections: options.maxConnections ?? 10 });
  // One service connection per test database, opened on first use.
  let service: Promise<DatabaseHandle> | undefined;
  const openService = async () => {
    await ensureServiceRole(target.serverUrl as string);
    const serviceUrl = new URL(url);
    serviceUrl.username = serviceRole;
    serviceUrl.password = '';
    return openDatabase({ url: serviceUrl.toString(), maxConnections: options.maxConnections ?? 10 });
  };
  return {
    ...handle,
    url,
    connectAsService: () => {
      service ??= openService();
      return service;
    },
    close: async () => {
      if (service) await (await service).close();
      await handle.close();
      const dropper = postgres(target.serverUrl as string, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end({ timeout: 2 });
      }
    },
  };
}

/** Creates the service login role if this cluster lacks it (test files race: a duplicate is fine). */
async function ensureServiceRole(serverUrl: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`do $$ begin
      create role ${serviceRole} login nosuperuser nocreatedb nocreaterole inherit in role parcours_app;
    exception when duplicate_object or unique_violation then null; end $$`);
    // The system's role (migration 0012), for the system actor's transactions; granted again on every run,
    // since the service role may predate it.
    await admin.unsafe(`do $$ begin
      if not pg_has_role('${serviceRole}', 'parcours_system', 'member') then grant parcours_system to ${serviceRole}; end if;
    exception when others then null; end $$`);
  } finally {
    await admin.end({ timeout: 2 });
  }
}

/** The database this run found: PostgreSQL, or PGlite with the reason it fell back. */
export function databaseTarget(): DatabaseTarget {
  return inject('databaseTarget');
}

/** Redis URL for suites that need it; null (with the reason) when the run has none. */
export function redisForTests(): RedisTarget {
  return inject('redisTarget');
}
