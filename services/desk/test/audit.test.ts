import { randomUUID } from 'node:crypto';
import { verifyAuditChain } from '@parcours/audit';
import { agents, auditEvents, caseMembers, type Database, derivedAuditDigestKey, memberships, persons } from '@parcours/db';
import { createFixtureTerritory, createTestDatabase, type TestDatabase } from '@parcours/testing';
import type { MembershipRole } from '@parcours/vocabulary';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, type DeskWorld, logIn, sessionSecret } from './harness.ts';

let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app } = createTestApp((await database.connectAsService()).db));
});
afterAll(async () => {
  await database?.close();
});

/** An agent with one membership (so the session acts for it at login), sharing the world's password hash. */
async function addAgent(
  db: Database,
  world: DeskWorld,
  organisationId: string,
  roles: MembershipRole[],
): Promise<{ id: string; email: string }> {
  const [hash] = await db.select({ hash: agents.passwordHash }).from(agents).where(eq(agents.id, world.agentId));
  const email = `${roles.join('-')}-${randomUUID()}@example.test`;
  const [agent] = await db
    .insert(agents)
    .values({ email, displayName: roles.join(' '), passwordHash: hash?.hash ?? null })
    .returning({ id: agents.id });
  if (!agent) throw new Error('agent insert returned nothing');
  await db.insert(memberships).values({ agentId: agent.id, organisationId, roles });
  return { id: agent.id, email };
}

interface Scene {
  world: DeskWorld;
  reception: TestAgent;
  auditor: TestAgent;
  auditorId: string;
  supervisor: TestAgent;
  caseId: string;
  otherCaseId: string;
  otherPersonId: string;
}

/**
 * The entry organisation opens a case for the fixture person and reads it twice; the foreign CCAS opens
 * one for someone else and reads it once; the system writes a row about the first case (a timer).
 */
async function createScene(): Promise<Scene> {
  const db = database.db;
  const world = await createDeskWorld(db);
  const auditor = await addAgent(db, world, world.entryOrganisationId, ['auditor']);
  const supervisor = await addAgent(db, world, world.partnerOrganisationId, ['supervisor']);
  const [reception, foreign, auditorClient, supervisorClient] = await Promise.all([
    logIn(app, world.agentEmail),
    logIn(app, world.foreignEmail),
    logIn(app, auditor.email),
    logIn(app, supervisor.email),
  ]);
  const opened = await reception
    .post('/api/v1/cases')
    .send({ channel: 'physical', expressedRequest: 'Loyer impayé', members: [{ personId: world.personId, role: 'primary' }] })
    .expect(201);
  const caseId = (opened.body as { id: string }).id;
  await reception.get(`/api/v1/cases/${caseId}`).expect(200);
  await reception.get(`/api/v1/cases/${caseId}`).expect(200);

  const [other] = await db
    .insert(persons)
    .values({ createdByOrganisationId: world.foreignOrganisationId })
    .returning({ id: persons.id });
  const otherPersonId = other?.id as string;
  const otherOpened = await foreign
    .post('/api/v1/cases')
    .send({ channel: 'phone', expressedRequest: 'Autre demande', members: [{ personId: otherPersonId, role: 'primary' }] })
    .expect(201);
  const otherCaseId = (otherOpened.body as { id: string }).id;
  await foreign.get(`/api/v1/cases/${otherCaseId}`).expect(200);
  await db.insert(auditEvents).values({
    at: new Date('2026-03-02T09:30:00Z'),
    actorKind: 'system',
    action: 'case.transition',
    subjectKind: 'case',
    subjectIds: [caseId],
    outcome: 'allowed',
  });
  return {
    world,
    reception,
    auditor: auditorClient,
    auditorId: auditor.id,
    supervisor: supervisorClient,
    caseId,
    otherCaseId,
    otherPersonId,
  };
}

type Row = {
  sequence: number;
  action: string;
  actorKind: string;
  outcome: string;
  subjectIds: string[];
  organisationId: string | null;
};

const auditRowsOf = (actorId: string, action: string) =>
  database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.actorId, actorId), eq(auditEvents.action, action)))
    .orderBy(asc(auditEvents.sequence));

describe('listAuditEvents', () => {
  let scene: Scene;
  beforeEach(async () => {
    scene = await createScene();
  });

  it('when an auditor lists the audit, then they see the territory, system rows about its cases included, and the reading is audited', async () => {
    const response = await scene.auditor.get('/api/v1/audit/events').query({ subjectId: scene.caseId }).expect(200);
    const items = response.body.items as Row[];
    expect(items.map((row) => [row.action, row.actorKind])).toEqual([
      ['case.transition', 'system'],
      ['case.read', 'agent'],
      ['case.read', 'agent'],
      // The opening, written by the engine's step.
      ['case.transition', 'agent'],
    ]);
    expect(response.body).toMatchObject({ page: 1, pageSize: 50, hasMore: false });
    const audited = await auditRowsOf(scene.auditorId, 'audit.read');
    expect(audited.map((row) => [row.subjectKind, row.subjectIds, row.outcome, row.organisationId])).toEqual([
      ['audit', [scene.caseId], 'allowed', scene.world.entryOrganisationId],
    ]);
  });

  it('when filtered by action, outcome, actor, organisation and period, then only matching rows come, a page at a time', async () => {
    const { auditor, world } = scene;
    const reads = await auditor
      .get('/api/v1/audit/events')
      .query({ action: 'case.read', organisationId: world.entryOrganisationId, actorId: world.agentId })
      .expect(200);
    expect((reads.body.items as Row[]).map((row) => row.subjectIds[0])).toEqual([scene.caseId, scene.caseId]);

    const firstPage = await auditor.get('/api/v1/audit/events').query({ action: 'case.read', pageSize: 2 }).expect(200);
    const secondPage = await auditor.get('/api/v1/audit/events').query({ action: 'case.read', pageSize: 2, page: 2 }).expect(200);
    expect(firstPage.body.hasMore).toBe(true);
    expect(secondPage.body.hasMore).toBe(false);
    const sequences = [...firstPage.body.items, ...secondPage.body.items].map((row: Row) => row.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    // Three reads in the territory: two of the entry organisation, one of the CCAS.
    expect(sequences).toHaveLength(3);

    const system = await auditor.get('/api/v1/audit/events').query({ from: '2026-03-02T09:30:00Z', to: '2026-03-02T09:31:00Z' });
    expect((system.body.items as Row[]).map((row) => row.actorKind)).toEqual(['system']);

    await scene.reception.get(`/api/v1/cases/${randomUUID()}`).expect(404);
    const denied = await auditor.get('/api/v1/audit/events').query({ outcome: 'denied', action: 'case.read' }).expect(200);
    expect((denied.body.items as Row[]).map((row) => row.outcome)).toEqual(['denied']);

    const backwards = await auditor
      .get('/api/v1/audit/events')
      .query({ from: '2026-03-03T00:00:00Z', to: '2026-03-02T00:00:00Z' });
    expect(backwards.status).toBe(400);
  });

  it('when a supervisor lists the audit, then they see what the territory’s organisations did, not the system rows', async () => {
    const response = await scene.supervisor.get('/api/v1/audit/events').query({ subjectId: scene.caseId }).expect(200);
    expect((response.body.items as Row[]).map((row) => row.actorKind)).toEqual(['agent', 'agent', 'agent']);
  });

  it('when an auditor of another territory lists the audit, then nothing of this territory shows', async () => {
    const elsewhere = await createFixtureTerritory(database.db);
    const other = await addAgent(database.db, scene.world, elsewhere.entryOrganisationId, ['auditor']);
    const client = await logIn(app, other.email);
    const response = await client.get('/api/v1/audit/events').query({ subjectId: scene.caseId }).expect(200);
    expect(response.body.items).toEqual([]);
    const everything = await client.get('/api/v1/audit/events').expect(200);
    expect((everything.body.items as Row[]).every((row) => row.organisationId === elsewhere.entryOrganisationId)).toBe(true);
  });

  it('when a reception agent or a partner asks for the audit, then it is refused (403) and the refusal audited', async () => {
    const refused = await scene.reception.get('/api/v1/audit/events').expect(403);
    expect(refused.body.type).toBe('urn:parcours:problem:forbidden');
    const partner = await logIn(app, scene.world.partnerEmail);
    await partner.get('/api/v1/audit/events').expect(403);
    const audited = await auditRowsOf(scene.world.agentId, 'audit.read');
    expect(audited.map((row) => [row.subjectKind, row.outcome])).toEqual([['route', 'denied']]);
  });
});

describe('whoSawPerson', () => {
  it('when asked about a person, then exactly the reads and disclosures of their file come, with organisation, purpose and consent', async () => {
    const scene = await createScene();
    const consentId = randomUUID();
    // A partner's read through a referral, allowed by a consent (as the referral routes write it).
    await database.db.insert(auditEvents).values({
      at: new Date('2026-03-02T10:00:00Z'),
      actorKind: 'partner_link',
      actorId: randomUUID(),
      organisationId: scene.world.partnerOrganisationId,
      action: 'partner_link.read',
      subjectKind: 'referral',
      subjectIds: [scene.caseId],
      purpose: 'housing',
      consentId,
      outcome: 'allowed',
    });
    const response = await scene.auditor.get(`/api/v1/persons/${scene.world.personId}/access-log`).expect(200);
    const items = response.body.items as Array<Record<string, unknown>>;
    expect(
      items.map((item) => [
        item.kind,
        item.action,
        (item.organisation as { id: string } | null)?.id,
        item.purpose,
        item.consentId,
      ]),
    ).toEqual([
      ['disclosure', 'partner_link.read', scene.world.partnerOrganisationId, 'housing', consentId],
      ['read', 'case.read', scene.world.entryOrganisationId, null, null],
      ['read', 'case.read', scene.world.entryOrganisationId, null, null],
    ]);
    expect(items[1]).toMatchObject({
      actorKind: 'agent',
      actorId: scene.world.agentId,
      subjectIds: [scene.caseId, scene.world.personId],
    });
    expect((items[1]?.organisation as { name: string }).name).toBe('France Services de Laragne-Montéglin');
    expect(response.body.truncated).toBe(false);

    // The question is audited, and answering it again shows it (someone looked at the person's access log).
    const audited = await auditRowsOf(scene.auditorId, 'person.access_log');
    expect(audited.map((row) => [row.subjectIds, row.outcome])).toEqual([[[scene.world.personId], 'allowed']]);
    const again = await scene.auditor.get(`/api/v1/persons/${scene.world.personId}/access-log`).expect(200);
    expect((again.body.items as Array<{ action: string }>)[0]?.action).toBe('person.access_log');

    // The other person's file shows only its own read.
    const other = await scene.auditor.get(`/api/v1/persons/${scene.otherPersonId}/access-log`).expect(200);
    expect((other.body.items as Array<{ subjectIds: string[] }>).map((item) => item.subjectIds[0])).toEqual([scene.otherCaseId]);
  });

  it('when the person is unknown in the territory or the role lacks the permission, then 404 or 403, audited', async () => {
    const scene = await createScene();
    const elsewhere = await createFixtureTerritory(database.db);
    const other = await logIn(app, (await addAgent(database.db, scene.world, elsewhere.entryOrganisationId, ['auditor'])).email);
    await other.get(`/api/v1/persons/${scene.world.personId}/access-log`).expect(404);
    await scene.auditor.get(`/api/v1/persons/${randomUUID()}/access-log`).expect(404);
    await scene.reception.get(`/api/v1/persons/${scene.world.personId}/access-log`).expect(403);
    const denied = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'person.access_log'), eq(auditEvents.outcome, 'denied')));
    // The foreign auditor's and the unknown person's (404), and the reception agent's role refusal (403).
    expect(denied.map((row) => row.subjectKind).sort()).toEqual(['person', 'person', 'route']);
  });
});

describe('exportPersonData', () => {
  it('when the référent exports the person’s data, then identity, cases, recipients and disclosures come as JSON, and the export is audited', async () => {
    const scene = await createScene();
    const response = await scene.reception.post(`/api/v1/persons/${scene.world.personId}/export`).expect(200);
    expect(response.headers['content-disposition']).toMatch(/attachment/);
    const exported = response.body;
    expect(exported).toMatchObject({
      format: 'parcours.person-export.v1',
      personId: scene.world.personId,
      identity: { familyName: 'Martin', givenNames: 'Camille', birthDate: '1980-04-12' },
      record: { createdBy: { id: scene.world.entryOrganisationId, name: 'France Services de Laragne-Montéglin' } },
      referrals: [],
      consents: [],
    });
    expect(exported.cases).toHaveLength(1);
    expect(exported.cases[0]).toMatchObject({
      id: scene.caseId,
      role: 'primary',
      expressedRequest: 'Loyer impayé',
      stage: 'reception',
    });
    expect(exported.disclosures.map((access: { action: string }) => access.action)).toEqual(['case.read', 'case.read']);
    expect(exported.recipients).toEqual([{ id: scene.world.entryOrganisationId, name: 'France Services de Laragne-Montéglin' }]);
    expect(JSON.stringify(exported)).not.toContain(scene.otherCaseId);

    const audited = await auditRowsOf(scene.world.agentId, 'person.export');
    expect(audited.map((row) => [row.subjectKind, row.subjectIds, row.outcome])).toEqual([
      ['person', [scene.world.personId, scene.caseId], 'allowed'],
    ]);
  });

  it('when the person is not reachable, or the role cannot export, then 404 or 403', async () => {
    const scene = await createScene();
    const foreign = await logIn(app, scene.world.foreignEmail);
    // The CCAS does not reach the fixture person: indistinguishable from an unknown person.
    await foreign.post(`/api/v1/persons/${scene.world.personId}/export`).expect(404);
    await scene.supervisor.post(`/api/v1/persons/${scene.world.personId}/export`).expect(403);
    // The auditor of the territory may export it.
    await scene.auditor.post(`/api/v1/persons/${scene.world.personId}/export`).expect(200);
    const members = await database.db.select().from(caseMembers).where(eq(caseMembers.personId, scene.world.personId));
    expect(members).toHaveLength(1);
    const denied = await database.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'person.export' and outcome = 'denied' and ${scene.world.personId} = any(subject_ids)`,
    );
    expect(JSON.stringify(denied)).toContain('"n":1');
  });
});

describe('keyed digests', () => {
  it('when the desk and the engine write audit rows, then each carries a digest the verifier recomputes with the services’ key', async () => {
    // A database of its own: the other scenes insert fixture audit rows directly, without a digest.
    const own = await createTestDatabase();
    try {
      const world = await createDeskWorld(own.db);
      const { app } = createTestApp((await own.connectAsService()).db);
      const reception = await logIn(app, world.agentEmail);
      const opened = await reception
        .post('/api/v1/cases')
        .send({ channel: 'physical', expressedRequest: 'Aide', members: [{ personId: world.personId, role: 'primary' }] })
        .expect(201);
      await reception
        .post(`/api/v1/cases/${opened.body.id}/events`)
        .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: opened.body.revision })
        .expect(200);
      await reception.get(`/api/v1/cases/${opened.body.id}`).expect(200);
      const rows = await own.db.select().from(auditEvents);
      expect(rows.map((row) => row.action)).toEqual(expect.arrayContaining(['case.read', 'case.transition']));
      expect(rows.every((row) => row.rowDigest !== null)).toBe(true);
      expect((await verifyAuditChain(own.db, { digestKey: derivedAuditDigestKey(sessionSecret) })).findings).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
