import { createHash, timingSafeEqual } from 'node:crypto';
import { readMigrationStatus } from '@parcours/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../http/app-error.ts';
import { defineRoute } from '../http/route.ts';

export const healthRoute = defineRoute({
  operationId: 'getHealth',
  method: 'get',
  path: '/health',
  summary: 'Le service répond et joint sa base de données',
  tags: ['operations'],
  access: { kind: 'public' },
  responses: { 200: { description: 'En service', schema: z.object({ status: z.literal('ok') }) } },
  handle: async ({ req, deps }) => {
    try {
      await deps.db.execute(sql`select 1`);
    } catch (error) {
      req.log.error({ err: error }, 'health check: database unreachable');
      throw new AppError('unavailable', 'La base de données ne répond pas.');
    }
    return { status: 200, body: { status: 'ok' }, headers: { 'Cache-Control': 'no-store' } };
  },
});

const readyView = z.object({
  status: z.literal('ready'),
  checks: z.object({
    database: z.literal('ok'),
    migrations: z.literal('ok'),
    redis: z.enum(['ok', 'not_configured']),
  }),
});

/**
 * Readiness, for a load balancer or an orchestrator: PostgreSQL answers, every migration this code ships is
 * applied, and Redis (when the deployment has one) answers. `/health` stays liveness (the process and its
 * database). Each failing check is named in the 503 problem's `errors`.
 */
export const readyRoute = defineRoute({
  operationId: 'getReadiness',
  method: 'get',
  path: '/ready',
  summary: 'Le service est prêt : base de données jointe, migrations à jour, Redis joint s’il est configuré',
  tags: ['operations'],
  access: { kind: 'public' },
  responses: { 200: { description: 'Prêt', schema: readyView } },
  problems: { 503: 'Une dépendance manque : chaque vérification en échec est nommée' },
  handle: async ({ req, deps }) => {
    const failures: Array<{ field: string; message: string }> = [];
    try {
      const status = await readMigrationStatus(deps.db);
      if (!status.current) {
        failures.push({
          field: 'migrations',
          message: `Migrations en retard : la base est à ${status.applied ?? 'aucune'}, le code attend ${status.expected}.`,
        });
      }
    } catch (error) {
      req.log.error({ err: error }, 'readiness: database unreachable');
      failures.push({ field: 'database', message: 'La base de données ne répond pas.' });
    }
    let redis: 'ok' | 'not_configured' = 'not_configured';
    if (deps.redisUrl) {
      if (await redisAnswers(deps.redisUrl)) redis = 'ok';
      else failures.push({ field: 'redis', message: 'Redis ne répond pas.' });
    }
    if (failures.length > 0) {
      throw new AppError('unavailable', 'Le service n’est pas prêt.', { errors: failures });
    }
    return {
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', migrations: 'ok', redis } },
      headers: { 'Cache-Control': 'no-store' },
    };
  },
});

/** One PING on a connection of its own, given up after a second: readiness must answer fast. */
async function redisAnswers(url: string): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await client.connect();
    return (
      (await Promise.race([client.ping(), new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 1_000))])) ===
      'PONG'
    );
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Prometheus metrics (`http/metrics.ts`): counts and ages only. Served when the deployment sets
 * `METRICS_TOKEN`, to whoever presents it (`Authorization: Bearer …`); otherwise unknown, like any address.
 */
export const metricsRoute = defineRoute({
  operationId: 'getMetrics',
  method: 'get',
  path: '/metrics',
  summary: 'Mesures d’exploitation au format Prometheus (jeton METRICS_TOKEN requis)',
  tags: ['operations'],
  access: { kind: 'public' },
  responses: { 200: { description: 'Les mesures, format texte de Prometheus' } },
  problems: { 401: 'Jeton absent ou faux', 404: 'Mesures non activées (METRICS_TOKEN absent)' },
  handle: async ({ req, deps }) => {
    if (!deps.metricsToken) throw new AppError('not_found', 'Cette adresse ne correspond à rien.');
    const presented = req.get('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
    if (!sameSecret(presented, deps.metricsToken)) {
      throw new AppError('unauthenticated', 'Présentez le jeton des mesures (Authorization: Bearer …).');
    }
    return {
      status: 200,
      text: { body: await deps.metrics.registry.metrics(), contentType: deps.metrics.registry.contentType },
      headers: { 'Cache-Control': 'no-store' },
    };
  },
});

function sameSecret(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
