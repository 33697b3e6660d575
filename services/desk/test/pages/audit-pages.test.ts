import { randomUUID } from 'node:crypto';
import { agents, auditEvents, memberships } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import type { MembershipRole } from '@parcours/vocabulary';
import { and, eq } from 'drizzle-orm';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, type DeskWorld, logIn } from '../harness.ts';

let database: TestDatabase;
let world: DeskWorld;
let app: Express;
let reception: TestAgent;
let auditor: TestAgent;
let auditorId: string;
let caseId: string;

async function addAgent(organisationId: string, roles: MembershipRole[]) {
  const [hash] = await database.db.select({ hash: agents.passwordHash }).from(agents).where(eq(agents.id, world.agentId));
  const email = `${roles.join('-')}-${randomUUID()}@example.test`;
  const [agent] = await database.db
    .insert(agents)
    .values({ email, displayName: 'Auditrice', passwordHash: hash?.hash ?? null })
    .returning({ id: agents.id });
  await database.db.insert(memberships).values({ agentId: agent?.id as string, organisationId, roles });
  return { id: agent?.id as string, email };
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createDeskWorld(database.db);
  ({ app } = createTestApp((await database.connectAsService()).db));
  const added = await addAgent(world.entryOrganisationId, ['auditor']);
  auditorId = added.id;
  [reception, auditor] = await Promise.all([logIn(app, world.agentEmail), logIn(app, added.email)]);
  const opened = await reception
    .post('/api/v1/cases')
    .send({ channel: 'physical', expressedRequest: 'Loyer impayé', members: [{ personId: world.personId, role: 'primary' }] })
    .expect(201);
  caseId = (opened.body as { id: string }).id;
  await reception.get(`/api/v1/cases/${caseId}`).expect(200);
});
afterAll(async () => {
  await database?.close();
});

it('when an auditor opens the journal with filters, then the matching rows show, names of organisations but no person’s name', async () => {
  const page = await auditor
    .get('/audit')
    .query({ action: 'case.read', sujet: caseId, du: '2026-03-01', au: '2026-03-02' })
    .expect(200);
  expect(page.text).toContain('Journal d’audit');
  expect(page.text).toContain('<code>case.read</code>');
  expect(page.text).toContain('France Services de Laragne-Montéglin');
  expect(page.text).not.toContain('Martin');
  const outside = await auditor.get('/audit').query({ du: '2026-03-03', au: '2026-03-04' }).expect(200);
  expect(outside.text).toContain('Aucun événement ne correspond');
  const invalid = await auditor.get('/audit').query({ structure: 'pas-un-identifiant' }).expect(400);
  expect(invalid.text).toContain('Les filtres contiennent des valeurs invalides');
});

it('when a reception agent opens the journal, then the page refuses (403)', async () => {
  const page = await reception.get('/audit').expect(403);
  expect(page.text).toContain('Accès refusé');
});

it('when the auditor asks who saw the person, then the page lists the reads; the export page prints the data; both are audited', async () => {
  const log = await auditor.get(`/personnes/${world.personId}/acces`).expect(200);
  expect(log.text).toContain('Qui a consulté ce dossier');
  expect(log.text).toContain('<code>case.read</code>');
  const exported = await auditor.get(`/personnes/${world.personId}/export`).expect(200);
  expect(exported.text).toContain('Martin');
  expect(exported.text).toContain('Loyer impayé');
  const audited = await database.db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.actorId, auditorId), eq(auditEvents.outcome, 'allowed')));
  expect(audited.map((row) => row.action)).toEqual(expect.arrayContaining(['audit.read', 'person.access_log', 'person.export']));
  await auditor.get('/personnes/pas-un-identifiant/acces').expect(404);
});
