import { agents, type Database, memberships, schema } from '@parcours/db';
import { createTestDatabase, databaseTarget, type TestDatabase } from '@parcours/testing';
import argon2 from 'argon2';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, type DeskWorld, logIn, password } from './harness.ts';

/**
 * What one request costs the database, counted on the wire (postgres.js `debug` sees every statement
 * sent, BEGIN and COMMIT included). Each statement is a round trip on the hot path of the transitions
 * benchmark, so these numbers may go down, never up without a reason written here.
 */
const onPostgres = databaseTarget().backend === 'postgres';

let database: TestDatabase;
let counted: { db: Database; statements: string[]; end: () => Promise<void> };
let world: DeskWorld;

beforeAll(async () => {
  if (!onPostgres) return;
  database = await createTestDatabase();
  world = await createDeskWorld(database.db);
  const statements: string[] = [];
  const client = postgres(database.url as string, {
    max: 4,
    onnotice: () => {},
    debug: (_connection, query) => statements.push(query.replace(/\s+/g, ' ').trim()),
  });
  counted = {
    db: drizzle({ client, schema }) as unknown as Database,
    statements,
    end: () => client.end({ timeout: 2 }),
  };
});
afterAll(async () => {
  await counted?.end();
  await database?.close();
});

async function openCase(client: TestAgent) {
  const response = await client
    .post('/api/v1/cases')
    .send({
      channel: 'physical',
      expressedRequest: 'Compter les allers-retours',
      members: [{ personId: world.personId, role: 'primary' }],
    })
    .expect(201);
  return response.body as { id: string; revision: number };
}

/** The statements one request sends, split into those inside a transaction and those outside. */
async function statementsOf(send: () => Promise<unknown>) {
  counted.statements.length = 0;
  await send();
  const all = [...counted.statements];
  const outside: string[] = [];
  let inTransaction = false;
  for (const statement of all) {
    if (/^begin\b/i.test(statement)) inTransaction = true;
    else if (!inTransaction) outside.push(statement);
    if (/^(commit|rollback)\b/i.test(statement)) inTransaction = false;
  }
  return { all, outside };
}

describe.runIf(onPostgres)('database round trips of a case event', () => {
  it('when an agent sends a case event, then the desk reads session and caller in one statement, six in all', async () => {
    const { app } = createTestApp(counted.db);
    const reception = await logIn(app, world.agentEmail);
    const opened = await openCase(reception);

    const { all, outside } = await statementsOf(() =>
      reception
        .post(`/api/v1/cases/${opened.id}/events`)
        .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: opened.revision })
        .expect(200),
    );

    // The desk's own share: the session with the acting membership (roles, territory, agent active).
    expect(outside, all.join('\n')).toHaveLength(1);
    expect(outside[0]).toMatch(/from "sessions" .*join "memberships"/);
    // Today: that one, then the engine's transaction (BEGIN, settings, lock, one step statement, COMMIT).
    expect(all.length, all.join('\n')).toBeLessThanOrEqual(6);
  });

  it('when the acting organisation is chosen, then the next request reads the membership of that organisation', async () => {
    const { app } = createTestApp(counted.db);
    const client = await logIn(app, world.twoOrganisationsEmail);
    await client.post('/api/v1/auth/acting-organisation').send({ organisationId: world.entryOrganisationId }).expect(200);
    const opened = await openCase(client);
    // Supervisor at the CAF: may read, may not move a journey.
    await client.post('/api/v1/auth/acting-organisation').send({ organisationId: world.partnerOrganisationId }).expect(200);
    const { outside } = await statementsOf(() =>
      client
        .post(`/api/v1/cases/${opened.id}/events`)
        .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: opened.revision })
        .expect(403),
    );
    // The role refusal is audited, with no second read of the membership.
    expect(outside.filter((statement) => /from "memberships"/.test(statement))).toHaveLength(0);
    await client.post('/api/v1/auth/acting-organisation').send({ organisationId: world.entryOrganisationId }).expect(200);
    await client
      .post(`/api/v1/cases/${opened.id}/events`)
      .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: opened.revision })
      .expect(200);
  });
});

describe.runIf(onPostgres)('the membership read with the session is never kept', () => {
  async function newReceptionAgent() {
    const [agent] = await database.db
      .insert(agents)
      .values({
        email: `passage-${Date.now()}-${Math.random()}@example.test`,
        displayName: 'Agent de passage',
        passwordHash: await argon2.hash(password),
      })
      .returning({ id: agents.id, email: agents.email });
    if (!agent) throw new Error('agent insert returned nothing');
    await database.db
      .insert(memberships)
      .values({ agentId: agent.id, organisationId: world.entryOrganisationId, roles: ['reception'] });
    return agent;
  }

  it('when the agent is deactivated, then the next request is refused, and allowed again once reactivated', async () => {
    const agent = await newReceptionAgent();
    const { app } = createTestApp(counted.db);
    const client = await logIn(app, agent.email);
    await client.get('/api/v1/cases').expect(200);

    await database.db.update(agents).set({ active: false }).where(eq(agents.id, agent.id));
    const refused = await client.get('/api/v1/cases').expect(403);
    expect(JSON.parse(refused.text)).toMatchObject({ type: 'urn:parcours:problem:acting-organisation-required' });

    await database.db.update(agents).set({ active: true }).where(eq(agents.id, agent.id));
    await client.get('/api/v1/cases').expect(200);
  });

  it('when the role changes or the membership is removed, then the very next request follows', async () => {
    const agent = await newReceptionAgent();
    const { app } = createTestApp(counted.db);
    const client = await logIn(app, agent.email);
    const opened = await openCase(client);
    const membership = and(eq(memberships.agentId, agent.id), eq(memberships.organisationId, world.entryOrganisationId));

    await database.db
      .update(memberships)
      .set({ roles: ['supervisor'] })
      .where(membership);
    const forbidden = await client
      .post(`/api/v1/cases/${opened.id}/events`)
      .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: opened.revision })
      .expect(403);
    expect(JSON.parse(forbidden.text)).toMatchObject({ type: 'urn:parcours:problem:forbidden' });
    await client.get(`/api/v1/cases/${opened.id}`).expect(200);

    await database.db.delete(memberships).where(membership);
    const removed = await client.get(`/api/v1/cases/${opened.id}`).expect(403);
    expect(JSON.parse(removed.text)).toMatchObject({ type: 'urn:parcours:problem:acting-organisation-required' });
  });
});
