import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeAnswers, createTerritoryWorld, emails, housingAndWork, logInAs, openLaragneCase } from './territory-world.ts';

/**
 * `npm start` runs on PGlite, one connection: completing (engine step on the same transaction) and
 * choosing (draft referral on the same transaction, directory read before it) must not wait on themselves.
 */
describe('assessment and orientation on embedded PGlite', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ backend: 'pglite' });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('when an assessment is completed and a suggestion chosen on PGlite, then the case is in orientation with a draft referral', async () => {
    const world = await createTerritoryWorld(database.db);
    const reception = await logInAs(world.app, emails.reception);
    const { caseId } = await openLaragneCase(reception);
    const draft = await reception.post(`/api/v1/cases/${caseId}/assessments`).expect(201);
    await reception
      .post(`/api/v1/assessments/${draft.body.id}/draft`)
      .send({ answers: completeAnswers(housingAndWork) })
      .expect(200);
    const completed = await reception.post(`/api/v1/assessments/${draft.body.id}/complete`).expect(200);
    expect(completed.body.journey).toMatchObject({ sent: ['COMPLETE_ASSESSMENT'], case: { stage: 'orientation' } });
    const { body } = await reception.get(`/api/v1/cases/${caseId}/orientation-suggestions`).expect(200);
    const referable = body.suggestions.find((suggestion: { service: { referable: boolean } }) => suggestion.service.referable);
    const chosen = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: referable.serviceId })
      .expect(201);
    expect(chosen.body.referral).toMatchObject({ status: 'draft' });
  });
});
