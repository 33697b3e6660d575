import { createTestDatabase, redisForTests, type TestDatabase } from '@parcours/testing';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './harness.ts';
import { problemOf } from './territory-world.ts';

/** `/ready`: what a load balancer asks before sending traffic; `/health` stays liveness. */
let database: TestDatabase;
const redis = redisForTests();

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('readiness', () => {
  it('when the database answers and carries every migration, then ready; Redis is named only when configured', async () => {
    const { app } = createTestApp((await database.connectAsService()).db);
    const ready = await request(app).get('/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', redis: 'not_configured' } });
    expect(ready.headers['cache-control']).toBe('no-store');
    if (redis.url) {
      const { app: withRedis } = createTestApp((await database.connectAsService()).db, { redisUrl: redis.url });
      expect((await request(withRedis).get('/ready').expect(200)).body.checks.redis).toBe('ok');
    }
  });

  it('when Redis does not answer, then 503 naming it, within a couple of seconds', async () => {
    const { app } = createTestApp((await database.connectAsService()).db, { redisUrl: 'redis://127.0.0.1:1' });
    const started = Date.now();
    const response = await request(app).get('/ready').expect(503);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(problemOf(response)).toMatchObject({
      type: 'urn:parcours:problem:unavailable',
      errors: [expect.objectContaining({ field: 'redis' })],
    });
  });

  it('when the newest migration is not applied, then 503 naming the migrations; liveness still answers', async () => {
    const own = await createTestDatabase();
    try {
      await own.db.execute(
        sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`,
      );
      const { app } = createTestApp((await own.connectAsService()).db);
      const response = await request(app).get('/ready').expect(503);
      expect(problemOf(response).errors).toEqual([
        expect.objectContaining({ field: 'migrations', message: expect.stringMatching(/Migrations en retard/) }),
      ]);
      await request(app).get('/health').expect(200);
    } finally {
      await own.close();
    }
  });

  it('when the database is gone, then 503 naming the database', async () => {
    const own = await createTestDatabase();
    const service = await own.connectAsService();
    const { app } = createTestApp(service.db);
    await service.close();
    await own.close();
    const response = await request(app).get('/ready').expect(503);
    expect(problemOf(response).errors).toEqual([expect.objectContaining({ field: 'database' })]);
  });
});

describe('metrics', () => {
  it('when the deployment sets a metrics token, then /metrics answers Prometheus text to its bearer only, with route templates and no ids', async () => {
    const { app: without } = createTestApp((await database.connectAsService()).db, { metricsToken: null });
    await request(without).get('/metrics').expect(404);

    const token = 'a metrics token for the test';
    const { app } = createTestApp((await database.connectAsService()).db, { metricsToken: token });
    const caseId = '6f1c2a8e-1b2c-4d3e-8f90-1a2b3c4d5e6f';
    await request(app).get(`/api/v1/cases/${caseId}`).expect(401);
    await request(app).get('/metrics').expect(401);
    await request(app).get('/metrics').set('Authorization', 'Bearer not the token').expect(401);
    const scraped = await request(app).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(scraped.headers['content-type']).toMatch(/^text\/plain/);
    expect(scraped.text).toMatch(/parcours_http_requests_total\{method="GET",route="\/api\/v1\/cases\/:caseId",status="401"\} 1/);
    expect(scraped.text).toContain('parcours_http_request_duration_seconds_bucket');
    for (const gauge of [
      'parcours_outbox_oldest_waiting_seconds',
      'parcours_jobs_failed',
      'parcours_mail_deliveries{status="uncertain"}',
      'parcours_audit_oldest_unsealed_seconds',
      'parcours_referrals_in_breach',
    ]) {
      expect(scraped.text).toContain(gauge);
    }
    expect(scraped.text).not.toContain(caseId);
  });
});
