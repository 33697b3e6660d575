import { auditEvents, caseEvents, cases, outbox, personIdentities, persons } from '@parcours/db';
import { createLogger } from '@parcours/observability';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { count, eq, sql } from 'drizzle-orm';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/index.ts';
import { auditRowsFor, createDeskWorld, createTestApp, type DeskWorld, logIn, sessionSecret } from './harness.ts';

let database: TestDatabase;
let world: DeskWorld;
let reception: TestAgent;
let foreign: TestAgent;
let partner: TestAgent;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createDeskWorld(database.db);
  const { app } = createTestApp((await database.connectAsService()).db);
  [reception, foreign, partner] = await Promise.all([
    logIn(app, world.agentEmail),
    logIn(app, world.foreignEmail),
    logIn(app, world.partnerEmail),
  ]);
});
afterAll(async () => {
  await database?.close();
});

const problemOf = (response: request.Response) => {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(response.text) as Record<string, unknown>;
  expect(problem.requestId).toEqual(expect.any(String));
  return problem;
};

/** Counts of every table a write would touch: a refused request leaves them all unchanged. */
async function writeCounts() {
  const db = database.db;
  const [c] = await db.select({ n: count() }).from(cases);
  const [e] = await db.select({ n: count() }).from(caseEvents);
  const [p] = await db.select({ n: count() }).from(persons);
  const [o] = await db.select({ n: count() }).from(outbox);
  return { cases: c?.n, events: e?.n, persons: p?.n, outbox: o?.n };
}

const openBody = () => ({
  channel: 'physical',
  expressedRequest: 'Je n’arrive plus à payer mon loyer',
  members: [{ personId: world.personId, role: 'primary' }],
});

async function openCase(client: TestAgent = reception) {
  const response = await client.post('/api/v1/cases').send(openBody()).expect(201);
  return response.body as { id: string; revision: number };
}

describe('persons', () => {
  it('when a person is created, then the identity is stored apart with an accent-free search key, and the creation is audited', async () => {
    const response = await reception
      .post('/api/v1/persons')
      .send({ familyName: 'Lefèvre-Åberg', givenNames: 'Zoé', birthDate: '1990-05-01', communeInsee: '05061' })
      .expect(201);
    expect(response.body).toMatchObject({
      familyName: 'Lefèvre-Åberg',
      givenNames: 'Zoé',
      birthDate: '1990-05-01',
      birthName: null,
    });
    const [identity] = await database.db.select().from(personIdentities).where(eq(personIdentities.personId, response.body.id));
    expect(identity?.searchKey).toBe('lefevre aberg zoe');
    const audit = await auditRowsFor(database.db, response.body.id);
    expect(audit).toMatchObject([
      { action: 'person.create', actorId: world.agentId, organisationId: world.entryOrganisationId, outcome: 'allowed' },
    ]);
  });

  it('when a person is created with wrong types, then 400 lists the fields in French and nothing is written', async () => {
    const before = await writeCounts();
    const response = await reception
      .post('/api/v1/persons')
      .send({ familyName: 12, givenNames: '', birthDate: '12/04/1980', email: 'pas un courriel', extra: true })
      .expect(400);
    const problem = problemOf(response);
    expect(problem).toMatchObject({ type: 'urn:parcours:problem:validation-failed', status: 400 });
    const fields = (problem.errors as Array<{ field: string; message: string }>).map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['familyName', 'givenNames', 'birthDate', 'email']));
    expect(await writeCounts()).toEqual(before);
  });

  it('when searching, then duplicates match without accents or case, by birth date and commune, scored with reasons', async () => {
    await reception
      .post('/api/v1/persons')
      .send({ familyName: 'LEFEVRE', givenNames: 'Zoe', birthDate: '1990-05-01' })
      .expect(201);
    await reception.post('/api/v1/persons').send({ familyName: 'Lefebvre', givenNames: 'Zoé' }).expect(201);
    const response = await reception
      .post('/api/v1/persons/search')
      .send({ familyName: 'lefèvre', givenNames: 'ZOÉ', birthDate: '1990-05-01', communeInsee: '05061' })
      .expect(200);
    const candidates = response.body.candidates as Array<{
      person: { id: string; familyName: string };
      score: number;
      reasons: string[];
    }>;
    expect(candidates[0]).toMatchObject({
      person: { familyName: 'LEFEVRE' },
      reasons: ['family_name', 'given_names', 'birth_date'],
    });
    expect(candidates.map((candidate) => candidate.person.familyName)).toContain('Lefebvre');
    const scores = candidates.map((candidate) => candidate.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // The search itself is audited with the ids it showed, and only ids.
    const [audit] = await auditRowsFor(database.db, candidates[0]?.person.id ?? '').then((rows) =>
      rows.filter((row) => row.action === 'person.search'),
    );
    expect(audit).toMatchObject({ outcome: 'allowed', organisationId: world.entryOrganisationId });
    expect(audit?.subjectIds).toEqual(candidates.map((candidate) => candidate.person.id));
  });

  it('when another organisation searches, then it does not see the persons of this one', async () => {
    const response = await foreign
      .post('/api/v1/persons/search')
      .send({ familyName: 'Martin', givenNames: 'Camille' })
      .expect(200);
    expect(response.body.candidates).toEqual([]);
  });

  it('when the role holds no permission (a partner), then 403 forbidden, audited as denied', async () => {
    const response = await partner.post('/api/v1/persons/search').send({ familyName: 'Martin' }).expect(403);
    expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:forbidden' });
    const denied = await database.db.select().from(auditEvents).where(eq(auditEvents.actorId, world.partnerAgentId));
    expect(denied).toMatchObject([{ action: 'person.search', outcome: 'denied', subjectKind: 'route' }]);
  });
});

describe('opening and reading a case', () => {
  it('when a case is opened, then the acting organisation is its entry point, at reception, with its members', async () => {
    const legalRepresentative = await reception
      .post('/api/v1/persons')
      .send({ familyName: 'Martin', givenNames: 'Paul' })
      .expect(201);
    const response = await reception
      .post('/api/v1/cases')
      .send({
        ...openBody(),
        channel: 'phone',
        members: [...openBody().members, { personId: legalRepresentative.body.id, role: 'legal_representative' }],
      })
      .expect(201);
    expect(response.body).toMatchObject({ stage: 'reception', state: 'active.reception', revision: 0, closed: false });
    expect(response.body.allowedEvents).toEqual(['CLOSE', 'START_ASSESSMENT', 'SUSPEND']);
    expect(response.headers.location).toBe(`/api/v1/cases/${response.body.id}`);
    expect(response.headers.etag).toBe('"0"');
    const [row] = await database.db.select().from(cases).where(eq(cases.id, response.body.id));
    expect(row).toMatchObject({
      entryOrganisationId: world.entryOrganisationId,
      referentOrganisationId: world.entryOrganisationId,
      channel: 'phone',
    });

    const read = await reception.get(`/api/v1/cases/${response.body.id}`).expect(200);
    expect(read.body.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ personId: world.personId, role: 'primary', familyName: 'Martin' }),
        expect.objectContaining({ personId: legalRepresentative.body.id, role: 'legal_representative' }),
      ]),
    );
  });

  it('when a member is a person the organisation does not reach, then 404 and nothing is written', async () => {
    const stranger = await foreign.post('/api/v1/persons').send({ familyName: 'Inconnu', givenNames: 'Léa' }).expect(201);
    const before = await writeCounts();
    const response = await reception
      .post('/api/v1/cases')
      .send({ ...openBody(), members: [{ personId: stranger.body.id, role: 'primary' }] })
      .expect(404);
    expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:not-found' });
    expect(await writeCounts()).toEqual(before);
  });

  it('when the members are malformed (two primaries, a bad role), then 400 and nothing is written', async () => {
    const before = await writeCounts();
    const response = await reception
      .post('/api/v1/cases')
      .send({
        ...openBody(),
        channel: 'pigeon',
        members: [
          { personId: world.personId, role: 'primary' },
          { personId: world.personId, role: 'uncle' },
        ],
      })
      .expect(400);
    const fields = (problemOf(response).errors as Array<{ field: string }>).map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['channel', 'members.1.role']));
    expect(await writeCounts()).toEqual(before);
  });

  it('when a case is read, then ETag is its revision, If-None-Match answers 304, and every read is audited with ids', async () => {
    const opened = await openCase();
    const read = await reception.get(`/api/v1/cases/${opened.id}`).expect(200);
    expect(read.headers.etag).toBe('"0"');
    expect(read.body).toMatchObject({ id: opened.id, revision: 0, expressedRequest: 'Je n’arrive plus à payer mon loyer' });
    await reception.get(`/api/v1/cases/${opened.id}`).set('If-None-Match', '"0"').expect(304);
    await reception.get(`/api/v1/cases/${opened.id}`).set('If-None-Match', '"7"').expect(200);
    const reads = (await auditRowsFor(database.db, opened.id)).filter((row) => row.action === 'case.read');
    expect(reads).toHaveLength(3);
    expect(reads[0]).toMatchObject({
      actorKind: 'agent',
      actorId: world.agentId,
      organisationId: world.entryOrganisationId,
      outcome: 'allowed',
    });
    expect(reads[0]?.subjectIds).toEqual([opened.id, world.personId]);
    expect(reads[0]?.requestId).toEqual(expect.any(String));
  });

  it('when another organisation reads a case, then 404 exactly as for an unknown id, audited as denied', async () => {
    const opened = await openCase();
    const foreignRead = await foreign.get(`/api/v1/cases/${opened.id}`).expect(404);
    const unknownRead = await reception.get('/api/v1/cases/00000000-0000-4000-8000-000000000000').expect(404);
    const strip = ({ requestId: _id, ...rest }: Record<string, unknown>) => rest;
    expect(strip(problemOf(foreignRead))).toEqual(strip(problemOf(unknownRead)));
    await foreign.get(`/api/v1/cases/${opened.id}/timeline`).expect(404);
    const audit = await auditRowsFor(database.db, opened.id);
    expect(audit.filter((row) => row.actorId === world.foreignAgentId)).toMatchObject([
      { action: 'case.read', outcome: 'denied', organisationId: world.foreignOrganisationId },
      { action: 'case.timeline', outcome: 'denied', organisationId: world.foreignOrganisationId },
    ]);
  });

  it('when the id is not a uuid, then 400 on the path', async () => {
    const response = await reception.get('/api/v1/cases/not-a-uuid').expect(400);
    expect((problemOf(response).errors as Array<{ field: string }>)[0]?.field).toBe('caseId');
  });
});

describe('listing cases', () => {
  it('when listing, then the organisation sees its cases as entry or référent, filtered and paginated, and the list is audited', async () => {
    const localWorld = await createDeskWorld(database.db);
    const { app, clock } = createTestApp((await database.connectAsService()).db);
    const aMinuteLater = () => clock.set(new Date(clock.now().getTime() + 60_000));
    const agent = await logIn(app, localWorld.agentEmail);
    const caf = await logIn(app, localWorld.twoOrganisationsEmail);
    await caf.post('/api/v1/auth/acting-organisation').send({ organisationId: localWorld.partnerOrganisationId }).expect(200);

    const opened: string[] = [];
    for (const channel of ['physical', 'phone', 'phone']) {
      const response = await agent
        .post('/api/v1/cases')
        .send({ ...openBody(), members: [{ personId: localWorld.personId, role: 'primary' }], channel })
        .expect(201);
      opened.push(response.body.id as string);
      aMinuteLater();
    }
    const referred = await agent
      .post('/api/v1/cases')
      .send({
        ...openBody(),
        members: [{ personId: localWorld.personId, role: 'primary' }],
        referentOrganisationId: localWorld.partnerOrganisationId,
      })
      .expect(201);
    aMinuteLater();
    await agent
      .post(`/api/v1/cases/${opened[0]}/events`)
      .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 })
      .expect(200);

    const all = await agent.get('/api/v1/cases').expect(200);
    expect(all.body.total).toBe(4);
    expect(all.body.items[0]).toMatchObject({
      id: opened[0],
      stage: 'assessment',
      primaryMember: { personId: localWorld.personId, familyName: 'Martin' },
    });

    const phone = await agent.get('/api/v1/cases?channel=phone&pageSize=1&page=2').expect(200);
    expect(phone.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(phone.body.items).toHaveLength(1);
    const assessed = await agent.get('/api/v1/cases?stage=assessment').expect(200);
    expect(assessed.body.items.map((item: { id: string }) => item.id)).toEqual([opened[0]]);

    // The CAF is the référent of one case only; the supervisor role may list it.
    const cafList = await caf.get('/api/v1/cases').expect(200);
    expect(cafList.body.items.map((item: { id: string }) => item.id)).toEqual([referred.body.id]);
    const listed = (await auditRowsFor(database.db, referred.body.id)).filter((row) => row.action === 'case.list');
    expect(listed.length).toBeGreaterThanOrEqual(2);
  });

  it('when the filters are wrong, then 400 naming them', async () => {
    const response = await reception.get('/api/v1/cases?stage=limbo&pageSize=1000').expect(400);
    const fields = (problemOf(response).errors as Array<{ field: string }>).map((issue) => issue.field).sort();
    expect(fields).toEqual(['pageSize', 'stage']);
  });
});

describe('sending events', () => {
  it('when an allowed event comes with the current revision, then the answer has the new state, revision and allowed events', async () => {
    const opened = await openCase();
    const response = await reception
      .post(`/api/v1/cases/${opened.id}/events`)
      .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 })
      .expect(200);
    expect(response.body).toMatchObject({ id: opened.id, stage: 'assessment', state: 'active.assessment', revision: 1 });
    expect(response.body.allowedEvents).toEqual(['CLOSE', 'COMPLETE_ASSESSMENT', 'ENTER_CASE_MANAGEMENT', 'SUSPEND']);
    expect(response.headers.etag).toBe('"1"');
  });

  it('when the revision is stale, then 409 revision-conflict with the current revision, and nothing is written', async () => {
    const opened = await openCase();
    await reception
      .post(`/api/v1/cases/${opened.id}/events`)
      .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 })
      .expect(200);
    const before = await writeCounts();
    const response = await reception
      .post(`/api/v1/cases/${opened.id}/events`)
      .send({ event: { type: 'COMPLETE_ASSESSMENT' }, expectedRevision: 0 })
      .expect(409);
    expect(problemOf(response)).toMatchObject({
      type: 'urn:parcours:problem:revision-conflict',
      status: 409,
      currentRevision: 1,
    });
    expect(await writeCounts()).toEqual(before);
  });

  it('when the event is not allowed at this stage, then 409 event-not-allowed listing the allowed events, and nothing is written', async () => {
    const opened = await openCase();
    const before = await writeCounts();
    const response = await reception
      .post(`/api/v1/cases/${opened.id}/events`)
      .send({ event: { type: 'COMPLETE_ASSESSMENT' }, expectedRevision: 0 })
      .expect(409);
    const problem = problemOf(response);
    expect(problem).toMatchObject({
      type: 'urn:parcours:problem:event-not-allowed',
      allowedEvents: ['CLOSE', 'START_ASSESSMENT', 'SUSPEND'],
    });
    expect(problem.type).not.toBe('urn:parcours:problem:revision-conflict');
    expect(await writeCounts()).toEqual(before);
  });

  it('when the event is unknown or lacks its payload, then 400 naming the field', async () => {
    const opened = await openCase();
    const unknown = await reception
      .post(`/api/v1/cases/${opened.id}/events`)
      .send({ event: { type: 'TELEPORT' }, expectedRevision: 0 })
      .expect(400);
    expect((problemOf(unknown).errors as Array<{ field: string }>)[0]?.field).toBe('event.type');
    const noReason = await reception
      .post(`/api/v1/cases/${opened.id}/events`)
      .send({ event: { type: 'CLOSE' }, expectedRevision: '0' })
      .expect(400);
    const fields = (problemOf(noReason).errors as Array<{ field: string }>).map((issue) => issue.field).sort();
    expect(fields).toEqual(['event.reason', 'expectedRevision']);
  });

  it('when another organisation sends an event, then 404, audited as denied, and nothing is written', async () => {
    const opened = await openCase();
    const before = await writeCounts();
    const response = await foreign
      .post(`/api/v1/cases/${opened.id}/events`)
      .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 })
      .expect(404);
    expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:not-found' });
    expect(await writeCounts()).toEqual(before);
    const audit = await auditRowsFor(database.db, opened.id);
    expect(audit.filter((row) => row.actorId === world.foreignAgentId)).toMatchObject([
      { action: 'case.transition', outcome: 'denied' },
    ]);
  });

  it('when the body is malformed JSON, then 400 malformed-json', async () => {
    const opened = await openCase();
    const response = await reception
      .post(`/api/v1/cases/${opened.id}/events`)
      .set('Content-Type', 'application/json')
      .send('{"event": {"type": "START_ASSESSMENT"},')
      .expect(400);
    expect(problemOf(response)).toMatchObject({
      type: 'urn:parcours:problem:malformed-json',
      detail: expect.stringMatching(/JSON/),
    });
  });

  it('when the body is larger than the limit, then 413', async () => {
    const response = await reception
      .post('/api/v1/persons')
      .send({ familyName: 'A', givenNames: 'B', padding: 'x'.repeat(200_000) })
      .expect(413);
    expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:payload-too-large', status: 413 });
  });
});

describe('timeline', () => {
  it('when the timeline is read, then each step has its actor, from and to states and time, and the read is audited', async () => {
    const opened = await openCase();
    await reception
      .post(`/api/v1/cases/${opened.id}/events`)
      .send({ event: { type: 'SUSPEND', reason: 'person_request' }, expectedRevision: 0 })
      .expect(200);
    const response = await reception.get(`/api/v1/cases/${opened.id}/timeline`).expect(200);
    expect(response.body.events).toMatchObject([
      {
        revision: 0,
        eventType: 'OPEN',
        fromState: '',
        toState: 'active.reception',
        actor: { kind: 'agent', id: world.agentId, organisationId: world.entryOrganisationId },
      },
      {
        revision: 1,
        eventType: 'SUSPEND',
        payload: { reason: 'person_request' },
        fromState: 'active.reception',
        toState: 'suspended',
      },
    ]);
    expect(response.body.events[1].at).toBe('2026-03-02T09:00:00.000Z');
    const reads = (await auditRowsFor(database.db, opened.id)).filter((row) => row.action === 'case.timeline');
    expect(reads).toMatchObject([{ outcome: 'allowed', actorId: world.agentId }]);
  });
});

describe('operations', () => {
  it('when the database answers, then /health is ok', async () => {
    const { app } = createTestApp((await database.connectAsService()).db);
    await request(app).get('/health').expect(200, { status: 'ok' });
  });

  it('when something unexpected fails, then 500 carries the request id and no internals, on the API and on a page, and the log has the id', async () => {
    // A real fault, on PostgreSQL as on PGlite: the cases table out of reach for the length of the test.
    const lines: string[] = [];
    const logger = createLogger({ name: 'desk-test', level: 'info' }, { write: (line: string) => lines.push(line) });
    const app = createApp({ db: database.db, logger, sessionSecret });
    const client = await logIn(app, world.agentEmail);
    await database.db.execute(sql`alter table cases rename to cases_out_of_reach`);
    try {
      const response = await client.get('/api/v1/cases').expect(500);
      const problem = problemOf(response);
      expect(problem).toMatchObject({ type: 'urn:parcours:problem:internal', status: 500 });
      expect(Object.keys(problem).sort()).toEqual(['detail', 'requestId', 'status', 'title', 'type']);
      expect(response.text).not.toMatch(/postgres|relation|cases_out_of_reach|42P01|stack|at /i);
      expect(response.headers['x-request-id']).toBe(problem.requestId);
      expect(lines.some((line) => line.includes(String(problem.requestId)) && line.includes('"level":50'))).toBe(true);

      // The pages' own error handler: the French error page, its status, the request id to give, nothing inside.
      const page = await client.get('/mon-travail').expect(500);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('Erreur inattendue');
      expect(page.text).toContain('Une erreur inattendue est survenue. Communiquez l’identifiant de requête au support.');
      expect(page.text).toContain(String(page.headers['x-request-id']));
      expect(page.text).not.toMatch(/relation|cases_out_of_reach|42P01|postgres/i);
      expect(lines.some((line) => line.includes(String(page.headers['x-request-id'])) && line.includes('unhandled error'))).toBe(
        true,
      );
    } finally {
      await database.db.execute(sql`alter table cases_out_of_reach rename to cases`);
    }
  });

  it('when requests are logged, then lines carry the request id and the agent, and never a name or a body', async () => {
    const lines: string[] = [];
    const logger = createLogger({ name: 'desk-test', level: 'debug' }, { write: (line: string) => lines.push(line) });
    const app = createApp({ db: database.db, logger, sessionSecret });
    const client = await logIn(app, world.agentEmail);
    const created = await client.post('/api/v1/persons').send({ familyName: 'Zéphirine', givenNames: 'Ondine' }).expect(201);
    await client.post('/api/v1/persons/search').send({ familyName: 'Zéphirine' }).expect(200);
    const log = lines.join('');
    expect(log).toContain(String(created.headers['x-request-id']));
    const searchLine = lines.map((line) => JSON.parse(line)).find((line) => line.req?.path === '/api/v1/persons/search');
    expect(searchLine).toMatchObject({ req: { method: 'POST' }, res: { statusCode: 200 }, agentId: world.agentId });
    expect(log).not.toMatch(/Z[ée]phirine|Ondine|correct horse|parcours\.sid/i);
  });
});
