import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder, openDatabase } from '@parcours/db';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import type { DatabaseTarget } from './provided-context.ts';
import { defaultDatabaseUrl, defaultRedisUrl, isCi, probePostgres, probeRedis, withDatabaseName } from './services.ts';

/** A template per migration history: a changed migration gets a fresh template, an unchanged one is reused. */
function templateNameForMigrations(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    if (!file.endsWith('.sql') && !file.endsWith('.json')) continue;
    hash.update(file).update(readFileSync(join(migrationsFolder, file)));
  }
  return `parcours_template_${hash.digest('hex').slice(0, 16)}`;
}

async function prepareTemplate(serverUrl: string): Promise<string> {
  const templateName = templateNameForMigrations();
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const existing = await admin`select datistemplate from pg_database where datname = ${templateName}`;
    if (existing.length > 0 && existing[0]?.datistemplate) return templateName;
    // A half-made template (an earlier run died while migrating) is rebuilt.
    if (existing.length > 0) await admin.unsafe(`drop database "${templateName}"`);
    await admin.unsafe(`create database "${templateName}"`);
    const handle = await openDatabase({ url: withDatabaseName(serverUrl, templateName), maxConnections: 1 });
    try {
      await handle.migrate();
    } finally {
      await handle.close();
    }
    await admin.unsafe(`alter database "${templateName}" with is_template true`);
    return templateName;
  } finally {
    await admin.end({ timeout: 2 });
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || defaultDatabaseUrl;
  const redisUrl = process.env.REDIS_URL || defaultRedisUrl;
  const [postgresProblem, redisProblem] = await Promise.all([probePostgres(databaseUrl), probeRedis(redisUrl)]);

  if (isCi() && (postgresProblem || redisProblem)) {
    // In CI no test may be skipped for want of a service: fail loudly instead.
    throw new Error(`CI needs PostgreSQL and Redis: ${[postgresProblem, redisProblem].filter(Boolean).join('; ')}`);
  }

  let databaseTarget: DatabaseTarget;
  if (postgresProblem) {
    process.stderr.write(`[parcours tests] ${postgresProblem}: database suites run on embedded PGlite instead.\n`);
    databaseTarget = { backend: 'pglite', serverUrl: null, templateName: null, fallbackReason: postgresProblem };
  } else {
    databaseTarget = {
      backend: 'postgres',
      serverUrl: databaseUrl,
      templateName: await prepareTemplate(databaseUrl),
      fallbackReason: null,
    };
  }
  if (redisProblem) process.stderr.write(`[parcours tests] ${redisProblem}: Redis suites are skipped.\n`);

  project.provide('databaseTarget', databaseTarget);
  project.provide('redisTarget', { url: redisProblem ? null : redisUrl, skipReason: redisProblem });
}
