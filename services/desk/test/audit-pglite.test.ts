import { randomUUID } from 'node:crypto';
import { sealAllAudit, verifyAuditChain } from '@parcours/audit';
import { agents, memberships } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, logIn } from './harness.ts';

/** The embedded default (`npm start`) runs on PGlite: the audit's queries must answer the same there. */
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ backend: 'pglite' });
});
afterAll(async () => {
  await database?.close();
});

it('when on PGlite, then the journal, who-saw and the export answer, and the chain seals and verifies', async () => {
  const db = database.db;
  const world = await createDeskWorld(db);
  const [hash] = await db.select({ hash: agents.passwordHash }).from(agents).where(eq(agents.id, world.agentId));
  const email = `auditrice-${randomUUID()}@example.test`;
  const [auditorRow] = await db
    .insert(agents)
    .values({ email, displayName: 'Auditrice', passwordHash: hash?.hash ?? null })
    .returning({ id: agents.id });
  await db
    .insert(memberships)
    .values({ agentId: auditorRow?.id as string, organisationId: world.entryOrganisationId, roles: ['auditor'] });
  const { app } = createTestApp(db);
  const reception = await logIn(app, world.agentEmail);
  const auditor = await logIn(app, email);
  const opened = await reception
    .post('/api/v1/cases')
    .send({ channel: 'physical', expressedRequest: 'Loyer impayé', members: [{ personId: world.personId, role: 'primary' }] })
    .expect(201);
  const caseId = (opened.body as { id: string }).id;
  await reception.get(`/api/v1/cases/${caseId}`).expect(200);

  const journal = await auditor.get('/api/v1/audit/events').query({ subjectId: caseId, action: 'case.read' }).expect(200);
  expect(journal.body.items).toHaveLength(1);
  const log = await auditor.get(`/api/v1/persons/${world.personId}/access-log`).expect(200);
  // The auditor's own look at the case's journal is a read of the file too, and shows.
  expect(log.body.items.map((item: { action: string }) => item.action)).toEqual(['audit.read', 'case.read']);
  const exported = await auditor.post(`/api/v1/persons/${world.personId}/export`).expect(200);
  expect(exported.body.cases.map((row: { id: string }) => row.id)).toEqual([caseId]);

  await sealAllAudit(db, { now: new Date('2100-01-01T00:00:00Z') });
  expect(await verifyAuditChain(db)).toMatchObject({ ok: true, unsealedRows: 0 });
});
