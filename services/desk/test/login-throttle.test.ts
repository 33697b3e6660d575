import { agents, auditEvents, loginFailures } from '@parcours/db';
import { demoPassword } from '@parcours/demo-territory';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { asc, eq } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './harness.ts';
import { csrfOf } from './pages/page-client.ts';
import { createTerritoryWorld, emails, logInAs, problemOf } from './territory-world.ts';

/**
 * Failed logins back off per account and per client address, only failures count, and the count lives in
 * PostgreSQL: shared by two desk apps on one database, kept across a restart. Each test comes from its own
 * client address (behind a trusted proxy), so their counts do not mix.
 */
let database: TestDatabase;
let appDb: TestDatabase['db'];

beforeAll(async () => {
  database = await createTestDatabase();
  appDb = (await database.connectAsService()).db;
  await createTerritoryWorld(database.db, appDb);
});
afterAll(async () => {
  await database?.close();
});

function desk() {
  return createTestApp(appDb, { trustProxy: true });
}

function attempt(app: Express, address: string, email: string, password: string) {
  return request(app).post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ email, password });
}

const later = (clock: { now(): Date; set(at: Date): void }, ms: number) => clock.set(new Date(clock.now().getTime() + ms));

describe('login back-off', () => {
  it('when 60 correct logins arrive at once (three times the largest allowance), then every one succeeds: only failures count', async () => {
    const { app } = desk();
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => attempt(app, '198.51.100.1', emails.reception, demoPassword)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(60).fill(200));
    expect(await database.db.select().from(loginFailures)).toEqual([]);
  });

  it('when an account fails five times, then it waits 1 s, then 2 s, then 4 s — not a lock — and the right password works once the wait is over', async () => {
    const { app, clock } = desk();
    const address = '198.51.100.2';
    for (let failure = 0; failure < 5; failure += 1) {
      expect((await attempt(app, address, emails.reception, 'mauvais')).status).toBe(401);
    }
    const waiting = await attempt(app, address, emails.reception, demoPassword);
    expect(waiting.status).toBe(429);
    expect(waiting.headers['retry-after']).toBe('1');
    expect(problemOf(waiting)).toMatchObject({ type: 'urn:parcours:problem:too-many-requests', retryAfterSeconds: 1 });
    expect(problemOf(waiting).detail).toContain('1 seconde');

    later(clock, 1000);
    expect((await attempt(app, address, emails.reception, 'mauvais')).status).toBe(401);
    expect((await attempt(app, address, emails.reception, demoPassword)).headers['retry-after']).toBe('2');
    later(clock, 2000);
    expect((await attempt(app, address, emails.reception, 'mauvais')).status).toBe(401);
    expect((await attempt(app, address, emails.reception, demoPassword)).headers['retry-after']).toBe('4');
    later(clock, 4000);
    expect((await attempt(app, address, emails.reception, demoPassword)).status).toBe(200);
    // A success forgets the account's failures: one more mistake costs nothing.
    expect((await attempt(app, address, emails.reception, 'mauvais')).status).toBe(401);
    expect((await attempt(app, address, emails.reception, demoPassword)).status).toBe(200);
  });

  it('when one password is sprayed across 30 accounts from one address, then the address backs off after 20, and a user elsewhere is not affected', async () => {
    const { app } = desk();
    const sprayer = '203.0.113.9';
    const statuses: number[] = [];
    for (let account = 0; account < 30; account += 1) {
      statuses.push((await attempt(app, sprayer, `compte${account}@demo.parcours.test`, 'Printemps2026!')).status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toContain(429);
    expect(statuses.slice(20).filter((status) => status === 401).length).toBeLessThanOrEqual(1);
    expect((await attempt(app, '198.51.100.3', emails.partner, demoPassword)).status).toBe(200);
  });

  it('when failures were made through one desk process, then another process and a restarted one see them', async () => {
    const first = desk();
    const address = '198.51.100.4';
    for (let failure = 0; failure < 6; failure += 1) await attempt(first.app, address, emails.foreign, 'mauvais');
    const second = desk();
    expect((await attempt(second.app, address, emails.foreign, demoPassword)).status).toBe(429);
    const restarted = desk();
    expect((await attempt(restarted.app, '198.51.100.5', emails.foreign, demoPassword)).status).toBe(429);
    expect(JSON.stringify(await database.db.select().from(loginFailures))).not.toMatch(/@|198\.51/);
  });

  it('when an admin unlocks an agent of the territory, then the agent logs in at once; the unlock is audited and refused to other roles', async () => {
    const { app } = desk();
    const address = '198.51.100.6';
    for (let failure = 0; failure < 9; failure += 1) await attempt(app, address, emails.supervisor, 'mauvais');
    expect((await attempt(app, address, emails.supervisor, demoPassword)).status).toBe(429);
    const [supervisor] = await database.db.select({ id: agents.id }).from(agents).where(eq(agents.email, emails.supervisor));
    const reception = await logInAs(app, emails.reception);
    await reception.post(`/api/v1/agents/${supervisor?.id}/login-unlock`).send({}).expect(403);
    const admin = await logInAs(app, emails.admin);
    await admin.post(`/api/v1/agents/${supervisor?.id}/login-unlock`).send({}).expect(204);
    await admin.post('/api/v1/agents/00000000-0000-4000-8000-000000000000/login-unlock').send({}).expect(404);
    expect((await attempt(app, '198.51.100.7', emails.supervisor, demoPassword)).status).toBe(200);
    const audited = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'agent.unlock'))
      .orderBy(asc(auditEvents.sequence));
    expect(audited.map((row) => [row.outcome, row.subjectIds])).toEqual([
      ['denied', []],
      ['allowed', [supervisor?.id]],
      ['denied', ['00000000-0000-4000-8000-000000000000']],
    ]);
  });

  it('when the login form is backing off, then the form comes back saying how long to wait, in French', async () => {
    const { app } = desk();
    const client = request.agent(app);
    const address = '198.51.100.8';
    let page = await client.get('/connexion').set('X-Forwarded-For', address).expect(200);
    for (let failure = 0; failure < 5; failure += 1) {
      const failed = await client
        .post('/connexion')
        .set('X-Forwarded-For', address)
        .type('form')
        .send({ _csrf: csrfOf(page.text), email: emails.admin, password: 'mauvais' });
      expect(failed.status).toBe(401);
      page = failed;
    }
    const waiting = await client
      .post('/connexion')
      .set('X-Forwarded-For', address)
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: emails.admin, password: demoPassword });
    expect(waiting.status).toBe(429);
    expect(waiting.headers['retry-after']).toBe('1');
    expect(waiting.text).toContain('Réessayez dans 1 seconde');
    // The form again, e-mail kept, so that the agent can try once the wait is over.
    expect(waiting.text).toContain('name="password"');
    expect(waiting.text).toContain(`value="${emails.admin}"`);
  });
});
