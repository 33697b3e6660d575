import { Writable } from 'node:stream';
import { createLogger } from '@parcours/observability';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { sql } from 'drizzle-orm';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/index.ts';
import {
  caseWithThreeSentReferrals,
  completeAnswers,
  createTerritoryWorld,
  emails,
  logInAs,
  openLaragneCase,
} from './territory-world.ts';

/**
 * When a query fails, the log says which (class, SQLSTATE, constraint, request id) and never what it carried:
 * each table a person's data is written to is made to refuse its write with a message quoting the row (as
 * PostgreSQL's own messages quote values), and no log line may hold the fixture's names or free text.
 */
let database: TestDatabase;
let reception: TestAgent;
const lines: string[] = [];
const names = ['Zéphirine', 'Quintard', 'Chauffage coupé depuis novembre', 'Suivi à Serres', 'Préfère Gap'];

beforeAll(async () => {
  database = await createTestDatabase();
  const capture = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  await createTerritoryWorld(database.db);
  // The desk on the demo territory, logging to the capture at the level production runs at.
  const logged = createApp({
    db: (await database.connectAsService()).db,
    logger: createLogger({ name: 'desk-logs-test', level: 'info' }, capture),
    sessionSecret: 'a test secret that is long enough to sign cookies',
  });
  reception = await logInAs(logged, emails.reception);
  await database.db.execute(sql`
    create function refuse_write() returns trigger language plpgsql as $$
    begin raise exception 'refused row %', row_to_json(new) using errcode = '23514', constraint = 'test_refusal'; end $$`);
});
afterAll(async () => {
  await database?.close();
});
afterEach(async () => {
  for (const table of ['person_identities', 'cases', 'assessments', 'referent_handovers', 'orientation_choices']) {
    await database.db.execute(sql.raw(`drop trigger if exists refuse_write on ${table}`));
  }
});

async function refuseWritesTo(table: string) {
  await database.db.execute(
    sql.raw(`create trigger refuse_write before insert or update on ${table} for each row execute function refuse_write()`),
  );
}

function expectLogsClean(status: number) {
  expect(status).toBe(500);
  const errorLines = lines.filter((line) => line.includes('"msg":"unhandled error"'));
  expect(errorLines.length).toBeGreaterThan(0);
  const last = JSON.parse(errorLines.at(-1) as string);
  expect(last.err).toMatchObject({ code: '23514', constraint: 'test_refusal' });
  expect(last.req?.id ?? last.reqId).toEqual(expect.any(String));
  for (const line of lines) for (const name of names) expect(line).not.toContain(name);
  expect(lines.join('')).not.toMatch(/insert into|update "|params:/i);
}

describe('logs when a query fails', () => {
  it('when creating a person fails in the database, then the log names the error and no identity', async () => {
    await refuseWritesTo('person_identities');
    const response = await reception
      .post('/api/v1/persons')
      .send({ familyName: 'Quintard', givenNames: 'Zéphirine', birthDate: '1943-02-11' });
    expectLogsClean(response.status);
  });

  it('when opening a case fails in the database, then the log holds no expressed request', async () => {
    const person = await reception.post('/api/v1/persons').send({ familyName: 'Quintard', givenNames: 'Zéphirine' }).expect(201);
    await refuseWritesTo('cases');
    const response = await reception.post('/api/v1/cases').send({
      channel: 'physical',
      expressedRequest: 'Chauffage coupé depuis novembre',
      members: [{ personId: person.body.id, role: 'primary' }],
    });
    expectLogsClean(response.status);
  });

  it('when saving an assessment draft fails in the database, then the log holds none of its notes', async () => {
    const { caseId } = await openLaragneCase(reception);
    const draft = await reception.post(`/api/v1/cases/${caseId}/assessments`).expect(201);
    await refuseWritesTo('assessments');
    const response = await reception
      .post(`/api/v1/assessments/${draft.body.id}/draft`)
      .send({ answers: completeAnswers({ housing: { level: 'severe', note: 'Chauffage coupé depuis novembre' } }) });
    expectLogsClean(response.status);
  });

  it('when recording an orientation choice fails in the database, then the log holds none of its reason', async () => {
    const { caseId } = await openLaragneCase(reception, ['START_ASSESSMENT', 'COMPLETE_ASSESSMENT']);
    await refuseWritesTo('orientation_choices');
    const response = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: 'caf-acces-droits', reasonCode: 'other', reasonText: 'Préfère Gap' });
    expectLogsClean(response.status);
  });

  it('when handing the case over fails in the database, then the log holds none of the note', async () => {
    const { caseId, scope } = await caseWithThreeSentReferrals(reception);
    const read = await reception.get(`/api/v1/cases/${caseId}`).expect(200);
    await refuseWritesTo('referent_handovers');
    const response = await reception.post(`/api/v1/cases/${caseId}/referent`).send({
      expectedRevision: read.body.revision,
      referentOrganisationId: scope.recipientOrganisationIds[1],
      note: 'Suivi à Serres',
    });
    expectLogsClean(response.status);
  });
});
