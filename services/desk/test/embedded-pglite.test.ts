import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, type DeskWorld, logIn } from './harness.ts';

/** The embedded start runs the desk on PGlite: the same app must work there. */
describe('desk on embedded PGlite', () => {
  let database: TestDatabase;
  let world: DeskWorld;

  beforeAll(async () => {
    database = await createTestDatabase({ backend: 'pglite' });
    world = await createDeskWorld(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('when started on PGlite, then health, login, opening, moving and reading a case all work', async () => {
    const { app } = createTestApp(database.db);
    await request(app).get('/health').expect(200, { status: 'ok' });
    const client = await logIn(app, world.agentEmail);
    const opened = await client
      .post('/api/v1/cases')
      .send({
        channel: 'itinerant',
        expressedRequest: 'Aide pour une demande de RSA',
        members: [{ personId: world.personId, role: 'primary' }],
      })
      .expect(201);
    await client
      .post(`/api/v1/cases/${opened.body.id}/events`)
      .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 })
      .expect(200);
    const read = await client.get(`/api/v1/cases/${opened.body.id}`).expect(200);
    expect(read.body).toMatchObject({ stage: 'assessment', revision: 1, channel: 'itinerant' });
    const search = await client.post('/api/v1/persons/search').send({ familyName: 'MARTÍN', givenNames: 'camille' }).expect(200);
    expect(search.body.candidates[0]).toMatchObject({ person: { id: world.personId }, reasons: ['family_name', 'given_names'] });
  });
});
