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

it('when an auditor opens the journal with filters, then the rows read in French, agents by name and structure, and no person’s name', async () => {
  const page = await auditor
    .get('/audit')
    .query({ action: 'case.read', sujet: caseId, du: '2026-03-01', au: '2026-03-02' })
    .expect(200);
  expect(page.text).toContain('Journal d’audit');
  expect(page.text).toMatch(
    /<td>Agent d’accueil<br><span class="fr-text--xs">France Services de Laragne-Montéglin<\/span><\/td>\s*<td>a consulté le dossier<\/td>/,
  );
  expect(page.text).not.toContain('case.read</td>');
  // The filters name agents, structures and actions; the chosen action stays selected.
  expect(page.text).toContain(`<option value="${world.agentId}">Agent d’accueil</option>`);
  expect(page.text).toContain('<option value="case.read" selected>A consulté le dossier</option>');
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
  expect(log.text).toContain('<td>a consulté le dossier</td>');
  expect(log.text).toContain('<td>Agent d’accueil</td>');
  const exported = await auditor.get(`/personnes/${world.personId}/export`).expect(200);
  expect(exported.text).toContain('Martin');
  expect(exported.text).toContain('Loyer impayé');
  // Written for the person: stages and states in French, no code of the schema.
  expect(exported.text).toContain('Étape : Accueil');
  expect(exported.text).toMatch(/Dossier ouvert : [^<]*→ Accueil/);
  expect(exported.text).not.toMatch(/active\.reception|followUp|consent recueilli/);
  const audited = await database.db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.actorId, auditorId), eq(auditEvents.outcome, 'allowed')));
  expect(audited.map((row) => row.action)).toEqual(expect.arrayContaining(['audit.read', 'person.access_log', 'person.export']));
  await auditor.get('/personnes/pas-un-identifiant/acces').expect(404);
});

it('when the auditor searches a person by her name, then the persons of the territory so named link to who saw their file, and the search is audited', async () => {
  const journal = await auditor.get('/audit').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(journal.text)?.[1] as string;
  const found = await auditor.post('/audit/personnes').type('form').send({ _csrf: csrf, nom: 'martin' }).expect(200);
  expect(found.text).toContain(`href="/personnes/${world.personId}/acces">MARTIN Camille</a>`);
  const [searched] = await database.db
    .select({ subjectIds: auditEvents.subjectIds })
    .from(auditEvents)
    .where(and(eq(auditEvents.actorId, auditorId), eq(auditEvents.action, 'person.search')));
  expect(searched?.subjectIds).toEqual([world.personId]);
  const none = await auditor.post('/audit/personnes').type('form').send({ _csrf: csrf, nom: 'Zzyzx' }).expect(200);
  expect(none.text).toContain('Aucune personne de ce nom dans le territoire.');
  const empty = await auditor.post('/audit/personnes').type('form').send({ _csrf: csrf, nom: '  ' }).expect(400);
  expect(empty.text).toContain('Tapez le nom de famille de la personne');
  // A reception agent has no access log to open.
  await reception.post('/audit/personnes').type('form').send({ _csrf: csrf, nom: 'martin' }).expect(403);
});
