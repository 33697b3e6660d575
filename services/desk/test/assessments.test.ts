import { assessments, caseEvents, cases } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { asc, count, eq } from 'drizzle-orm';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsFor } from './harness.ts';
import {
  completeAnswers,
  createTerritoryWorld,
  emails,
  housingAndWork,
  logInAs,
  maiaEligible,
  openLaragneCase,
  problemOf,
} from './territory-world.ts';

let database: TestDatabase;
let reception: TestAgent;
let foreign: TestAgent;
let partner: TestAgent;
let supervisor: TestAgent;

beforeAll(async () => {
  database = await createTestDatabase();
  const world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  [reception, foreign, partner, supervisor] = await Promise.all([
    logInAs(world.app, emails.reception),
    logInAs(world.app, emails.foreign),
    logInAs(world.app, emails.partner),
    logInAs(world.app, emails.supervisor),
  ]);
});
afterAll(async () => {
  await database?.close();
});

async function writeCounts() {
  const [a] = await database.db.select({ n: count() }).from(assessments);
  const [e] = await database.db.select({ n: count() }).from(caseEvents);
  const rows = await database.db.select().from(assessments).orderBy(asc(assessments.id));
  return { assessments: a?.n, events: e?.n, rows: rows.map((row) => `${row.id}:${row.status}:${row.updatedAt.toISOString()}`) };
}

async function startAssessment(caseId: string) {
  const response = await reception.post(`/api/v1/cases/${caseId}/assessments`).expect(201);
  return response.body as { id: string; status: string };
}

async function completedAssessmentOn(caseId: string, answers = completeAnswers(housingAndWork)) {
  const draft = await startAssessment(caseId);
  await reception.post(`/api/v1/assessments/${draft.id}/draft`).send({ answers }).expect(200);
  const completed = await reception.post(`/api/v1/assessments/${draft.id}/complete`).expect(200);
  return { id: draft.id, body: completed.body };
}

describe('creating and saving a draft', () => {
  it('when an assessment is started, then a draft on the current form exists, and a second draft is refused with 409', async () => {
    const { caseId } = await openLaragneCase(reception);
    const response = await reception.post(`/api/v1/cases/${caseId}/assessments`).expect(201);
    expect(response.body).toMatchObject({
      caseId,
      status: 'draft',
      formId: 'parcours-multidimensional',
      formVersion: 1,
      answers: { needs: {} },
      withheld: [],
    });
    // It starts from the request the case was opened for, as the page's form does.
    const [opened] = await database.db.select({ request: cases.expressedRequest }).from(cases).where(eq(cases.id, caseId));
    expect(response.body.answers.expressedRequest).toEqual({ text: opened?.request, domains: [] });
    expect(opened?.request).toBeTruthy();
    expect(response.headers.location).toBe(`/api/v1/assessments/${response.body.id}`);
    const before = await writeCounts();
    const second = await reception.post(`/api/v1/cases/${caseId}/assessments`).expect(409);
    expect(problemOf(second)).toMatchObject({ type: 'urn:parcours:problem:assessment-draft-exists', status: 409 });
    expect(await writeCounts()).toEqual(before);
  });

  it('when parts of the answers are saved one after the other, then they are merged domain by domain, and null removes one', async () => {
    const { caseId } = await openLaragneCase(reception);
    const draft = await startAssessment(caseId);
    await reception
      .post(`/api/v1/assessments/${draft.id}/draft`)
      .send({
        answers: { needs: { housing: { level: 'severe', urgency: 'urgent' }, mobility: { level: 'light', urgency: 'routine' } } },
      })
      .expect(200);
    const saved = await reception
      .post(`/api/v1/assessments/${draft.id}/draft`)
      .send({
        answers: {
          expressedRequest: { text: 'Je cherche un logement', domains: ['housing'] },
          needs: { employment: { level: 'moderate' }, mobility: null },
        },
      })
      .expect(200);
    expect(saved.body.answers).toEqual({
      expressedRequest: { text: 'Je cherche un logement', domains: ['housing'] },
      needs: { housing: { level: 'severe', urgency: 'urgent' }, employment: { level: 'moderate' } },
    });
    expect(saved.body.summary).toMatchObject({ answeredDomains: 2, totalDomains: 21 });
    expect(saved.body.status).toBe('draft');
  });

  it('when a draft names an unknown domain or an invalid level, then 400 names the fields and nothing is written', async () => {
    const { caseId } = await openLaragneCase(reception);
    const draft = await startAssessment(caseId);
    const before = await writeCounts();
    const unknown = await reception
      .post(`/api/v1/assessments/${draft.id}/draft`)
      .send({ answers: { needs: { telepathy: { level: 'light' } } } })
      .expect(400);
    expect(problemOf(unknown).errors).toEqual([
      { field: 'answers.needs.telepathy', message: expect.stringMatching(/domaine inconnu/) },
    ]);
    const invalid = await reception
      .post(`/api/v1/assessments/${draft.id}/draft`)
      .send({ answers: { needs: { housing: { level: 'catastrophic' } } }, extra: 1 })
      .expect(400);
    const fields = problemOf(invalid).errors?.map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['answers.needs.housing.level', '']));
    await reception.post(`/api/v1/assessments/${draft.id}/draft`).send({}).expect(400);
    expect(await writeCounts()).toEqual(before);
  });
});

describe('completing', () => {
  it('when answers are missing, then 400 lists every field to complete, and the draft stays a draft', async () => {
    const { caseId } = await openLaragneCase(reception);
    const draft = await startAssessment(caseId);
    await reception
      .post(`/api/v1/assessments/${draft.id}/draft`)
      .send({ answers: { needs: { housing: { level: 'severe' }, autonomy: { level: 'moderate', urgency: 'soon' } } } })
      .expect(200);
    const before = await writeCounts();
    const response = await reception.post(`/api/v1/assessments/${draft.id}/complete`).expect(400);
    const problem = problemOf(response);
    expect(problem).toMatchObject({ type: 'urn:parcours:problem:validation-failed' });
    const fields = problem.errors?.map((issue) => issue.field) ?? [];
    expect(fields).toEqual(
      expect.arrayContaining([
        'answers.needs.housing.urgency',
        'answers.needs.employment',
        'answers.caseManagement.functionalProblems',
      ]),
    );
    // 19 domains unanswered, one urgency, five MAIA answers; the request came with the draft, from the case.
    expect(fields).not.toContain('answers.expressedRequest.text');
    expect(fields).toHaveLength(19 + 1 + 5);
    expect(await writeCounts()).toEqual(before);
  });

  it('when the case is in assessment, then completing freezes the answers and moves the journey to orientation in the same step', async () => {
    const { caseId } = await openLaragneCase(reception);
    const { id, body } = await completedAssessmentOn(caseId);
    expect(body.assessment).toMatchObject({ id, status: 'completed', completedAt: '2026-03-02T09:00:00.000Z' });
    expect(body.assessment.summary.needs.map((need: { domain: string }) => need.domain)).toEqual(['housing', 'employment']);
    expect(body.assessment.dataCategories).toEqual(['assessment', 'free_notes']);
    expect(body.journey).toMatchObject({
      sent: ['COMPLETE_ASSESSMENT'],
      toSend: [],
      proposed: [],
      case: { id: caseId, stage: 'orientation', state: 'active.orientation', revision: 2 },
    });
    expect(body.caseManagement.eligible).toBe(false);
    expect(body.caseManagement.reasons).toHaveLength(3);
    const [row] = await database.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row?.stage).toBe('orientation');

    const before = await writeCounts();
    const save = await reception
      .post(`/api/v1/assessments/${id}/draft`)
      .send({ answers: { needs: { housing: { level: 'light', urgency: 'routine' } } } })
      .expect(409);
    expect(problemOf(save)).toMatchObject({ type: 'urn:parcours:problem:assessment-immutable' });
    const again = await reception.post(`/api/v1/assessments/${id}/complete`).expect(409);
    expect(problemOf(again)).toMatchObject({ type: 'urn:parcours:problem:assessment-immutable' });
    expect(await writeCounts()).toEqual(before);
  });

  it('when the case is still at reception, then the assessment completes and the answer names the events to send', async () => {
    const { caseId } = await openLaragneCase(reception, []);
    const { body } = await completedAssessmentOn(caseId);
    expect(body.journey).toMatchObject({
      sent: [],
      toSend: ['START_ASSESSMENT', 'COMPLETE_ASSESSMENT'],
      case: { stage: 'reception', revision: 0 },
    });
  });

  it('when a new assessment is completed, then it supersedes the previous one, which stays in the history', async () => {
    const { caseId } = await openLaragneCase(reception);
    const first = await completedAssessmentOn(caseId);
    const draft = await startAssessment(caseId);
    const reread = await reception.get(`/api/v1/assessments/${draft.id}`).expect(200);
    // A reassessment starts from the answers in force.
    expect(reread.body.answers.needs.housing).toEqual(housingAndWork.housing);
    expect(reread.body.supersedesId).toBe(first.id);
    await reception
      .post(`/api/v1/assessments/${draft.id}/draft`)
      .send({ answers: { needs: { housing: { level: 'moderate', urgency: 'soon' } } } })
      .expect(200);
    const second = await reception.post(`/api/v1/assessments/${draft.id}/complete`).expect(200);
    expect(second.body).toMatchObject({ supersededId: first.id, assessment: { status: 'completed', supersedesId: first.id } });
    // The case is in orientation already: nothing to send.
    expect(second.body.journey).toMatchObject({ sent: [], toSend: [] });

    const history = await reception.get(`/api/v1/cases/${caseId}/assessments`).expect(200);
    expect(history.body.items.map((item: { id: string; status: string }) => [item.id, item.status])).toEqual([
      [first.id, 'superseded'],
      [draft.id, 'completed'],
    ]);
    const old = await reception.get(`/api/v1/assessments/${first.id}`).expect(200);
    expect(old.body).toMatchObject({ status: 'superseded', supersededAt: '2026-03-02T09:00:00.000Z' });
    expect(old.body.answers.needs.housing.level).toBe('severe');
    await reception
      .post(`/api/v1/assessments/${first.id}/draft`)
      .send({ answers: { needs: {} } })
      .expect(409);
  });

  it('when the MAIA criteria are all met, then completion surfaces the eligibility with reasons and proposes ENTER_CASE_MANAGEMENT', async () => {
    const { caseId } = await openLaragneCase(reception);
    const answers = completeAnswers(
      {
        autonomy: { level: 'severe', urgency: 'urgent', note: 'Chutes répétées' },
        health: { level: 'moderate', urgency: 'soon' },
      },
      { caseManagement: maiaEligible },
    );
    const { body } = await completedAssessmentOn(caseId, answers);
    expect(body.caseManagement).toMatchObject({
      eligible: true,
      criteria: [
        { criterion: 'unstable_situation', met: true },
        { criterion: 'insufficient_help', met: true },
        { criterion: 'no_coordinating_circle', met: true },
      ],
    });
    expect(body.caseManagement.reasons[0]).toMatch(/Situation instable/);
    expect(body.journey.proposed).toEqual(['ENTER_CASE_MANAGEMENT']);
    expect(body.journey.case.allowedEvents).toContain('ENTER_CASE_MANAGEMENT');
    expect(body.assessment.dataCategories).toEqual(['assessment', 'health']);
    expect(body.assessment.summary.caseManagement.eligible).toBe(true);
  });
});

describe('health data and access', () => {
  it('when a supervisor reads an assessment, then health-tagged answers, MAIA screening and health-revealing rights are withheld', async () => {
    const { caseId } = await openLaragneCase(reception);
    const draft = await startAssessment(caseId);
    await reception
      .post(`/api/v1/assessments/${draft.id}/draft`)
      .send({
        answers: completeAnswers(
          { ...housingAndWork, autonomy: { level: 'severe', urgency: 'urgent', note: 'Chutes répétées' } },
          { caseManagement: maiaEligible },
        ),
        potentialRights: [
          { right: 'apa', status: 'identified' },
          { right: 'apl', status: 'identified' },
        ],
      })
      .expect(200);
    const full = await reception.get(`/api/v1/assessments/${draft.id}`).expect(200);
    expect(full.body.answers.needs.autonomy).toMatchObject({ level: 'severe' });
    expect(full.body.withheld).toEqual([]);

    const partial = await supervisor.get(`/api/v1/assessments/${draft.id}`).expect(200);
    expect(partial.body.withheld).toEqual(['health']);
    expect(partial.body.dataCategories).toContain('health');
    expect(Object.keys(partial.body.answers.needs)).not.toContain('autonomy');
    expect(Object.keys(partial.body.answers.needs)).not.toContain('health');
    expect(partial.body.answers.caseManagement).toBeUndefined();
    expect(partial.body.potentialRights.map((right: { right: string }) => right.right)).toEqual(['apl']);
    expect(partial.body.summary).toMatchObject({ healthTaggedDomains: [], caseManagement: null });
    expect(JSON.stringify(partial.body)).not.toMatch(/Chutes/);
    // A supervisor reads but does not write.
    await supervisor.post(`/api/v1/assessments/${draft.id}/complete`).expect(403);
  });

  it('when another organisation touches a case or an assessment, then 404 as for an unknown id, audited as denied, nothing written', async () => {
    const { caseId } = await openLaragneCase(reception);
    const draft = await startAssessment(caseId);
    const before = await writeCounts();
    await foreign.post(`/api/v1/cases/${caseId}/assessments`).expect(404);
    await foreign.get(`/api/v1/cases/${caseId}/assessments`).expect(404);
    const read = await foreign.get(`/api/v1/assessments/${draft.id}`).expect(404);
    const unknown = await reception.get('/api/v1/assessments/00000000-0000-4000-8000-000000000000').expect(404);
    const strip = ({ requestId: _id, ...rest }: Record<string, unknown>) => rest;
    expect(strip(problemOf(read))).toEqual(strip(problemOf(unknown)));
    await foreign
      .post(`/api/v1/assessments/${draft.id}/draft`)
      .send({ answers: { needs: {} } })
      .expect(404);
    await foreign.post(`/api/v1/assessments/${draft.id}/complete`).expect(404);
    expect(await writeCounts()).toEqual(before);
    // Row-level security hides a foreign assessment from the caller, its case included: the refusal names
    // the case where the caller named it, the assessment id where it named that.
    const deniedOnCase = (await auditRowsFor(database.db, caseId)).filter((row) => row.outcome === 'denied');
    expect(deniedOnCase.map((row) => row.action)).toEqual(['assessment.create', 'assessment.list']);
    const deniedOnAssessment = (await auditRowsFor(database.db, draft.id)).filter((row) => row.outcome === 'denied');
    expect(deniedOnAssessment.map((row) => row.action)).toEqual(['assessment.read', 'assessment.save', 'assessment.complete']);
  });

  it('when a partner calls, then 403 by role, audited', async () => {
    const { caseId } = await openLaragneCase(reception);
    const response = await partner.post(`/api/v1/cases/${caseId}/assessments`).expect(403);
    expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:forbidden' });
  });

  it('when an assessment is read or listed, then each read is audited with the case and assessment ids only', async () => {
    const { caseId } = await openLaragneCase(reception);
    const draft = await startAssessment(caseId);
    await reception.get(`/api/v1/assessments/${draft.id}`).expect(200);
    await reception.get(`/api/v1/cases/${caseId}/assessments`).expect(200);
    const reads = (await auditRowsFor(database.db, draft.id)).filter((row) => row.action !== 'assessment.create');
    expect(reads).toMatchObject([
      { action: 'assessment.read', outcome: 'allowed', subjectKind: 'case', subjectIds: [caseId, draft.id] },
      { action: 'assessment.list', outcome: 'allowed', subjectKind: 'case', subjectIds: [caseId, draft.id] },
    ]);
  });
});

describe('following up potential rights', () => {
  it('when rights identified are followed, then refused or not requested needs a non-take-up reason, and outcomes are final', async () => {
    const { caseId } = await openLaragneCase(reception);
    const draft = await startAssessment(caseId);
    await reception
      .post(`/api/v1/assessments/${draft.id}/draft`)
      .send({
        answers: completeAnswers(housingAndWork),
        potentialRights: [
          { right: 'apl', status: 'identified' },
          { right: 'are', status: 'identified' },
        ],
      })
      .expect(200);
    await reception.post(`/api/v1/assessments/${draft.id}/complete`).expect(200);

    const noReason = await reception
      .post(`/api/v1/assessments/${draft.id}/rights/apl/follow-up`)
      .send({ status: 'not_requested' })
      .expect(400);
    expect(problemOf(noReason).errors?.map((issue) => issue.field)).toEqual(['nonTakeUpReason']);
    const followed = await reception
      .post(`/api/v1/assessments/${draft.id}/rights/apl/follow-up`)
      .send({ status: 'not_requested', nonTakeUpReason: 'non_request' })
      .expect(200);
    expect(followed.body.potentialRights).toEqual([
      { right: 'apl', status: 'not_requested', nonTakeUpReason: 'non_request', updatedAt: '2026-03-02T09:00:00.000Z' },
      { right: 'are', status: 'identified' },
    ]);
    expect(followed.body.summary.rights.byStatus.not_requested).toEqual(['apl']);
    const reopened = await reception
      .post(`/api/v1/assessments/${draft.id}/rights/apl/follow-up`)
      .send({ status: 'opened' })
      .expect(400);
    expect(problemOf(reopened).errors?.[0]?.field).toBe('status');
    await reception.post(`/api/v1/assessments/${draft.id}/rights/are/follow-up`).send({ status: 'requested' }).expect(200);
    await reception.post(`/api/v1/assessments/${draft.id}/rights/are/follow-up`).send({ status: 'opened' }).expect(200);
    const missing = await reception
      .post(`/api/v1/assessments/${draft.id}/rights/rsa/follow-up`)
      .send({ status: 'opened' })
      .expect(404);
    expect(problemOf(missing).detail).toMatch(/pas été repéré/);
    await reception.post(`/api/v1/assessments/${draft.id}/rights/unknown/follow-up`).send({ status: 'opened' }).expect(400);
  });
});
