import {
  agents,
  assessments,
  auditEvents,
  caseEvents,
  consents,
  memberships,
  outbox,
  partnerLinks,
  referentHandovers,
  referrals,
} from '@parcours/db';
import { createReferral, fireTimer, listDueTimers, sendCaseEvent } from '@parcours/engine';
import { createTestDatabase, type ManualClock, type TestDatabase } from '@parcours/testing';
import { type DataCategory, dataCategories } from '@parcours/vocabulary';
import { and, count, eq } from 'drizzle-orm';
import type { Express } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, type DeskWorld, logIn } from './harness.ts';

let database: TestDatabase;
let world: DeskWorld;
let app: Express;
let clock: ManualClock;
let reception: TestAgent;
let foreign: TestAgent;
let partner: TestAgent;
let healthPartner: TestAgent;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createDeskWorld(database.db);
  ({ app, clock } = createTestApp((await database.connectAsService()).db, {
    partnerLinkSecret: 'a partner link secret that is long enough!',
  }));
  // A CAF agent holding the health permission besides the partner role.
  const [nurse] = await database.db
    .insert(agents)
    .values({ email: `sante-${world.territoryId}@example.test`, displayName: 'Infirmière CAF' })
    .returning({ id: agents.id, email: agents.email });
  if (!nurse) throw new Error('agent insert returned nothing');
  const [withPassword] = await database.db.select({ hash: agents.passwordHash }).from(agents).where(eq(agents.id, world.agentId));
  await database.db
    .update(agents)
    .set({ passwordHash: withPassword?.hash ?? null })
    .where(eq(agents.id, nurse.id));
  await database.db
    .insert(memberships)
    .values({ agentId: nurse.id, organisationId: world.partnerOrganisationId, roles: ['partner', 'health_data'] });
  [reception, foreign, partner, healthPartner] = await Promise.all([
    logIn(app, world.agentEmail),
    logIn(app, world.foreignEmail),
    logIn(app, world.partnerEmail),
    logIn(app, nurse.email),
  ]);
});
afterAll(async () => {
  await database?.close();
});

const problemOf = (response: request.Response) => {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(response.text) as Record<string, unknown>;
  expect(problem.requestId).toEqual(expect.any(String));
  expect(String(problem.detail)).toMatch(/[a-zé]/);
  return problem;
};

/** Every row a refused request must leave alone. */
async function writeCounts() {
  const db = database.db;
  const tables = { referrals, caseEvents, outbox, consents, partnerLinks, referentHandovers } as const;
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await db.select({ n: count() }).from(table);
    counts[name] = row?.n ?? 0;
  }
  const statuses = await db.select({ id: referrals.id, status: referrals.status, revision: referrals.revision }).from(referrals);
  const links = await db.select({ id: partnerLinks.id, usedAt: partnerLinks.usedAt }).from(partnerLinks);
  return { counts, statuses: JSON.stringify(statuses.sort((a, b) => a.id.localeCompare(b.id))), links: JSON.stringify(links) };
}

const agentActor = () => ({ kind: 'agent' as const, id: world.agentId, organisationId: world.entryOrganisationId });

/** A case of the fixture person, moved to orientation (the engine, as the assessment routes would). */
async function caseInOrientation(): Promise<string> {
  const opened = await reception
    .post('/api/v1/cases')
    .send({
      channel: 'physical',
      expressedRequest: 'Je cherche un logement',
      members: [{ personId: world.personId, role: 'primary' }],
    })
    .expect(201);
  const caseId = opened.body.id as string;
  const started = await sendCaseEvent(
    database.db,
    { caseId, event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 },
    { actor: agentActor(), clock },
  );
  await sendCaseEvent(
    database.db,
    { caseId, event: { type: 'COMPLETE_ASSESSMENT' }, expectedRevision: started.revision },
    { actor: agentActor(), clock },
  );
  return caseId;
}

async function draftReferral(
  caseId: string,
  sharedCategories: DataCategory[] = ['identity', 'contact', 'situation_summary'],
  toOrganisationId = world.partnerOrganisationId,
) {
  return createReferral(
    database.db,
    { caseId, fromOrganisationId: world.entryOrganisationId, toOrganisationId, purpose: 'rights_opening', sharedCategories },
    { actor: agentActor(), clock },
  );
}

async function noticeFor(scope: { recipientOrganisationIds: string[]; purposes: string[]; categories: string[] }) {
  const response = await reception
    .get('/api/v1/consent-notice')
    .query({
      recipientOrganisationIds: scope.recipientOrganisationIds.join(','),
      purposes: scope.purposes.join(','),
      categories: scope.categories.join(','),
    })
    .expect(200);
  return response.body as { version: number; sha256: string; text: string };
}

const informed = { whatIsShared: true, withWhom: true, byWhatMeans: true, whichSecurity: true };

async function recordConsent(
  categories: DataCategory[] = ['identity', 'contact', 'situation_summary'],
  recipientOrganisationIds: string[] = [world.partnerOrganisationId],
  purposes: string[] = ['rights_opening'],
): Promise<string> {
  const notice = await noticeFor({ recipientOrganisationIds, purposes, categories });
  const response = await reception
    .post('/api/v1/consents')
    .send({
      decision: 'consent',
      personId: world.personId,
      givenBy: 'person',
      method: 'oral_attested',
      informationShown: informed,
      notice: { version: notice.version, sha256: notice.sha256 },
      recipientOrganisationIds,
      purposes,
      categories,
    })
    .expect(201);
  return response.body.id as string;
}

async function withdrawAll() {
  const rows = await database.db.select().from(consents).where(eq(consents.personId, world.personId));
  for (const row of rows.filter((candidate) => !candidate.withdrawnAt)) {
    await reception
      .post(`/api/v1/consents/${row.id}/withdrawal`)
      .send({ withdrawnBy: 'person', channel: 'in_person' })
      .expect(200);
  }
}

/** A sent referral covered by a fresh consent. */
async function sentReferral(categories: DataCategory[] = ['identity', 'contact', 'situation_summary']) {
  await withdrawAll();
  const caseId = await caseInOrientation();
  const consentId = await recordConsent(categories);
  const draft = await draftReferral(caseId, categories);
  const sent = await reception.post(`/api/v1/referrals/${draft.id}/send`).send({ expectedRevision: 0 }).expect(200);
  return { caseId, consentId, referralId: draft.id, revision: sent.body.revision as number };
}

describe('sharing consent', () => {
  it('when the notice is asked for a scope, then its exact text names the recipient and the four pieces of information, JSON or printable HTML', async () => {
    const scope = {
      recipientOrganisationIds: [world.partnerOrganisationId],
      purposes: ['rights_opening'],
      categories: ['identity'],
    };
    const notice = await noticeFor(scope);
    expect(notice.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(notice.text).toContain('CAF des Hautes-Alpes');
    for (const part of ['Ce qui est partagé', 'Avec qui', 'Par quel moyen', 'Avec quelle sécurité'])
      expect(notice.text).toContain(part);
    const printable = await reception
      .get('/api/v1/consent-notice')
      .query({
        ...scope,
        recipientOrganisationIds: world.partnerOrganisationId,
        purposes: 'rights_opening',
        categories: 'identity',
        format: 'html',
      })
      .expect(200);
    expect(printable.headers['content-type']).toMatch(/^text\/html/);
    expect(printable.text).toContain(notice.sha256);
  });

  it('when a consent is recorded, then it holds the scope, the notice hash, the method and who collected it, audited with its id', async () => {
    await withdrawAll();
    const consentId = await recordConsent();
    const [row] = await database.db.select().from(consents).where(eq(consents.id, consentId));
    expect(row).toMatchObject({
      decision: 'consent',
      givenBy: 'person',
      method: 'oral_attested',
      collectedByAgentId: world.agentId,
      collectedByOrganisationId: world.entryOrganisationId,
      recipientOrganisationIds: [world.partnerOrganisationId],
      informationShown: ['what_is_shared', 'with_whom', 'by_what_means', 'which_security'],
    });
    const audit = await database.db.select().from(auditEvents).where(eq(auditEvents.consentId, consentId));
    expect(audit).toMatchObject([{ action: 'consent.record', outcome: 'allowed', subjectKind: 'consent' }]);
  });

  it('when one of the four pieces of information was not given, then 400 names it in French and nothing is written', async () => {
    const notice = await noticeFor({
      recipientOrganisationIds: [world.partnerOrganisationId],
      purposes: ['rights_opening'],
      categories: ['identity'],
    });
    const before = await writeCounts();
    const response = await reception
      .post('/api/v1/consents')
      .send({
        decision: 'consent',
        personId: world.personId,
        givenBy: 'person',
        method: 'signed_paper',
        informationShown: { whatIsShared: true, withWhom: true, byWhatMeans: false },
        notice: { version: notice.version, sha256: notice.sha256 },
        recipientOrganisationIds: [world.partnerOrganisationId],
        purposes: ['rights_opening'],
        categories: ['identity', 'genome'],
      })
      .expect(400);
    const fields = (problemOf(response).errors as Array<{ field: string }>).map((issue) => issue.field);
    expect(fields).toEqual(
      expect.arrayContaining(['informationShown.byWhatMeans', 'informationShown.whichSecurity', 'categories.1']),
    );
    expect(await writeCounts()).toEqual(before);
  });

  it('when the notice shown is not the one of this scope, then 422 and nothing is written', async () => {
    const notice = await noticeFor({
      recipientOrganisationIds: [world.partnerOrganisationId],
      purposes: ['rights_opening'],
      categories: ['identity'],
    });
    const before = await writeCounts();
    const response = await reception
      .post('/api/v1/consents')
      .send({
        decision: 'consent',
        personId: world.personId,
        givenBy: 'person',
        method: 'digital',
        informationShown: informed,
        notice: { version: notice.version, sha256: notice.sha256 },
        recipientOrganisationIds: [world.partnerOrganisationId],
        purposes: ['rights_opening'],
        categories: ['identity', 'health'],
      })
      .expect(422);
    expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:notice-mismatch' });
    expect(await writeCounts()).toEqual(before);
  });

  it('when another organisation records or withdraws a consent of a person it does not reach, then 404', async () => {
    const consentId = await recordConsent();
    const notice = await noticeFor({ recipientOrganisationIds: [], purposes: [], categories: [] });
    await foreign
      .post('/api/v1/consents')
      .send({
        decision: 'opposition',
        personId: world.personId,
        givenBy: 'person',
        method: 'oral_attested',
        informationShown: informed,
        notice: { version: notice.version, sha256: notice.sha256 },
      })
      .expect(404);
    await foreign.post(`/api/v1/consents/${consentId}/withdrawal`).send({ withdrawnBy: 'person', channel: 'phone' }).expect(404);
    await foreign.get(`/api/v1/persons/${world.personId}/consents`).expect(404);
    const listed = await reception.get(`/api/v1/persons/${world.personId}/consents`).expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(consentId);
  });
});

describe('sending a referral', () => {
  it('when no consent covers every category, then 422 lists what is not covered and nothing is written; reducing the payload sends it', async () => {
    await withdrawAll();
    const caseId = await caseInOrientation();
    await recordConsent(['identity', 'contact']);
    const draft = await draftReferral(caseId, ['identity', 'contact', 'situation_summary', 'health']);
    const before = await writeCounts();
    const refused = await reception.post(`/api/v1/referrals/${draft.id}/send`).send({ expectedRevision: 0 }).expect(422);
    expect(problemOf(refused)).toMatchObject({
      type: 'urn:parcours:problem:consent-not-covering',
      notCovered: { recipient: false, purpose: false, categories: ['situation_summary', 'health'], opposition: false },
    });
    expect(await writeCounts()).toEqual(before);

    // A category added at sending is checked like the others: not covered, nothing is sent.
    const widened = await reception
      .post(`/api/v1/referrals/${draft.id}/send`)
      .send({ expectedRevision: 0, sharedCategories: ['identity', 'free_notes'] })
      .expect(422);
    expect(problemOf(widened)).toMatchObject({ notCovered: { categories: ['free_notes'] } });
    expect(await writeCounts()).toEqual(before);
    const sent = await reception
      .post(`/api/v1/referrals/${draft.id}/send`)
      .send({ expectedRevision: 0, sharedCategories: ['identity', 'contact'] })
      .expect(200);
    expect(sent.body).toMatchObject({ status: 'sent', sharedCategories: ['identity', 'contact'], consentId: expect.any(String) });
    expect(sent.body.dueAt).toEqual(expect.any(String));
    const [audit] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'referral.send'), eq(auditEvents.consentId, sent.body.consentId)));
    expect(audit).toMatchObject({ outcome: 'allowed', purpose: 'rights_opening' });
  });

  it('when no consent names the recipient, or an opposition is active, then 422 says so', async () => {
    await withdrawAll();
    const caseId = await caseInOrientation();
    await recordConsent(['identity'], [world.foreignOrganisationId]);
    const draft = await draftReferral(caseId, ['identity']);
    const unnamed = await reception.post(`/api/v1/referrals/${draft.id}/send`).send({ expectedRevision: 0 }).expect(422);
    expect(problemOf(unnamed).notCovered).toMatchObject({ recipient: true, purpose: true });

    await recordConsent(['identity']);
    const notice = await noticeFor({ recipientOrganisationIds: [], purposes: [], categories: [] });
    await reception
      .post('/api/v1/consents')
      .send({
        decision: 'opposition',
        personId: world.personId,
        givenBy: 'legal_representative',
        method: 'signed_paper',
        informationShown: informed,
        notice: { version: notice.version, sha256: notice.sha256 },
      })
      .expect(201);
    const opposed = await reception.post(`/api/v1/referrals/${draft.id}/send`).send({ expectedRevision: 0 }).expect(422);
    expect(problemOf(opposed).notCovered).toMatchObject({ opposition: true });
    // The opposition ended the consents in force: their recipients are told.
    const told = await database.db.select().from(outbox).where(eq(outbox.jobName, 'consent.withdrawn'));
    expect(told.length).toBeGreaterThan(0);
  });

  it('when another organisation sends or cancels a referral, then 404, audited as denied, and nothing else is written', async () => {
    await withdrawAll();
    const caseId = await caseInOrientation();
    await recordConsent();
    const draft = await draftReferral(caseId);
    const before = await writeCounts();
    problemOf(await foreign.post(`/api/v1/referrals/${draft.id}/send`).send({ expectedRevision: 0 }).expect(404));
    problemOf(await foreign.post(`/api/v1/referrals/${draft.id}/cancel`).send({ expectedRevision: 0 }).expect(404));
    problemOf(await partner.post(`/api/v1/referrals/${draft.id}/send`).send({ expectedRevision: 0 }).expect(403));
    expect(await writeCounts()).toEqual(before);
  });
});

describe('the partner', () => {
  it('when a referral is sent, then the partner inbox lists it with its deadline, and the referral shows only the covered categories, audited with the consent', async () => {
    const { referralId, consentId } = await sentReferral(['identity', 'situation_summary']);
    const inbox = await partner.get('/api/v1/partner/referrals').query({ status: 'sent' }).expect(200);
    const item = inbox.body.items.find((candidate: { id: string }) => candidate.id === referralId);
    expect(item).toMatchObject({ status: 'sent', accessible: true, purpose: 'rights_opening' });
    expect(item.dueAt).toEqual(expect.any(String));
    expect(JSON.stringify(inbox.body)).not.toContain('Martin');
    await partner.get('/api/v1/partner/referrals').query({ status: 'teleported' }).expect(400);

    const read = await partner.get(`/api/v1/partner/referrals/${referralId}`).expect(200);
    expect(Object.keys(read.body.data).sort()).toEqual(['identity', 'situation_summary']);
    expect(read.body.data.identity).toMatchObject({ familyName: 'Martin', givenNames: 'Camille' });
    expect(read.body.consentId).toBe(consentId);
    const audit = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'partner.case_read'), eq(auditEvents.consentId, consentId)));
    expect(audit).toMatchObject([{ actorId: world.partnerAgentId, outcome: 'allowed', purpose: 'rights_opening' }]);
    // Nobody else reads it as a recipient: other organisations' receiving agents (the CCAS's, the sender's
    // own) get the same 404 as an unknown referral.
    await foreign.get(`/api/v1/partner/referrals/${referralId}`).expect(404);
    await reception.get(`/api/v1/partner/referrals/${referralId}`).expect(404);
  });

  it('when the consent covers health, then only the holder of the health permission sees it', async () => {
    const { caseId, referralId } = await sentReferral(['situation_summary', 'assessment', 'health']);
    await database.db.insert(assessments).values({
      caseId,
      formId: 'parcours-multidimensional',
      formVersion: 1,
      status: 'completed',
      completedAt: clock.now(),
      answers: {
        needs: {
          housing: { level: 'severe', urgency: 'soon', note: 'Expulsion annoncée' },
          health: { level: 'moderate', urgency: 'routine', note: 'Suivi psychiatrique' },
        },
      },
      dataCategories: ['assessment', 'health', 'free_notes'],
    });
    const plain = await partner.get(`/api/v1/partner/referrals/${referralId}`).expect(200);
    expect(plain.body.visibleCategories).toEqual(['situation_summary', 'assessment']);
    expect(JSON.stringify(plain.body)).not.toContain('moderate');
    expect(plain.body.data.assessment.needs).toEqual([{ domain: 'housing', level: 'severe', urgency: 'soon' }]);
    // Notes are free notes, not covered here.
    expect(JSON.stringify(plain.body)).not.toContain('Expulsion');
    const nurse = await healthPartner.get(`/api/v1/partner/referrals/${referralId}`).expect(200);
    expect(nurse.body.data.health.needs).toEqual([{ domain: 'health', level: 'moderate', urgency: 'routine' }]);
  });

  it('when the partner answers, then each answer moves the referral through the engine, reaches the referrer and is mailed to the followers', async () => {
    const { caseId, referralId, revision } = await sentReferral();
    let current = revision;
    const answer = async (body: Record<string, unknown>) => {
      const response = await partner
        .post(`/api/v1/partner/referrals/${referralId}/answers`)
        .send({ expectedRevision: current, answer: body })
        .expect(200);
      current = response.body.revision;
      return response.body;
    };
    expect((await answer({ type: 'MARK_SEEN' })).status).toBe('seen');
    expect((await answer({ type: 'START_STUDY' })).status).toBe('underStudy');
    expect((await answer({ type: 'ACCEPT', conditions: 'Venir avec un avis d’imposition' })).status).toBe('accepted');
    // A visio appointment takes place at a reception point of the territory: without one, or with an
    // unknown one, it is refused and nothing moves.
    for (const receptionPointId of [undefined, '00000000-0000-4000-8000-000000000000']) {
      const refused = await partner
        .post(`/api/v1/partner/referrals/${referralId}/answers`)
        .send({
          expectedRevision: current,
          answer: { type: 'SET_APPOINTMENT', at: '2026-03-10T09:30:00+01:00', mode: 'visio', receptionPointId },
        })
        .expect(400);
      expect(problemOf(refused).type).toBe('urn:parcours:problem:validation-failed');
    }
    // An appointment before today (Paris) is refused by the server, as the form's date field refuses it.
    const past = await partner
      .post(`/api/v1/partner/referrals/${referralId}/answers`)
      .send({ expectedRevision: current, answer: { type: 'SET_APPOINTMENT', at: '2019-01-05T09:30:00+01:00', mode: 'phone' } })
      .expect(400);
    expect(past.headers['content-type']).toContain('application/problem+json');
    expect(problemOf(past)).toMatchObject({
      detail: 'La date du rendez-vous est passée : choisissez aujourd’hui ou une date à venir.',
      errors: [
        { field: 'answer.at', message: 'La date du rendez-vous est passée : choisissez aujourd’hui ou une date à venir.' },
      ],
    });
    const dayBefore = new Date(clock.now().getTime() - 24 * 60 * 60 * 1000).toISOString();
    await partner
      .post(`/api/v1/partner/referrals/${referralId}/answers`)
      .send({ expectedRevision: current, answer: { type: 'SET_APPOINTMENT', at: dayBefore, mode: 'phone' } })
      .expect(400);
    const appointment = await answer({
      type: 'SET_APPOINTMENT',
      at: '2026-03-10T09:30:00+01:00',
      mode: 'visio',
      receptionPointId: world.entryOrganisationId,
    });
    expect(appointment).toMatchObject({
      status: 'appointmentSet',
      revision: current,
      answer: { appointment: { mode: 'visio', receptionPointId: world.entryOrganisationId } },
    });

    const seenBySender = await reception.get(`/api/v1/cases/${caseId}/referrals`).expect(200);
    expect(seenBySender.body.items).toEqual([
      expect.objectContaining({
        id: referralId,
        status: 'appointmentSet',
        answer: expect.objectContaining({ conditions: 'Venir avec un avis d’imposition', appointment: expect.any(Object) }),
      }),
    ]);
    const mails = await database.db.select().from(outbox).where(eq(outbox.jobName, 'effect.notifyReferralAnswered'));
    const forThis = mails
      .filter((row) => (row.payload as { referralId: string }).referralId === referralId)
      .sort((a, b) => (a.payload as { revision: number }).revision - (b.payload as { revision: number }).revision);
    expect(forThis.map((row) => (row.payload as { params: { status: string } }).params.status)).toEqual([
      'seen',
      'underStudy',
      'accepted',
      'appointmentSet',
    ]);
    expect(JSON.stringify(forThis)).not.toMatch(/Martin|imposition/);

    // Bad answers: 400 for a wrong shape, 409 for an answer the state does not take; nothing written.
    const before = await writeCounts();
    await partner
      .post(`/api/v1/partner/referrals/${referralId}/answers`)
      .send({ expectedRevision: current, answer: { type: 'DECLINE', reason: 'bof' } })
      .expect(400);
    await partner
      .post(`/api/v1/partner/referrals/${referralId}/answers`)
      .send({ expectedRevision: current, answer: { type: 'SEND' } })
      .expect(400);
    problemOf(
      await partner
        .post(`/api/v1/partner/referrals/${referralId}/answers`)
        .send({ expectedRevision: current, answer: { type: 'DECLINE', reason: 'service_full' } })
        .expect(409),
    );
    expect(await writeCounts()).toEqual(before);

    await answer({ type: 'START_SUPPORT' });
    const done = await answer({ type: 'COMPLETE', outcome: 'rights_opened' });
    expect(done).toMatchObject({ status: 'completed', answer: { outcome: 'rights_opened' } });
    // A closed referral gives no access.
    await partner.get(`/api/v1/partner/referrals/${referralId}`).expect(404);
  });

  it('when the partner declines with a coded reason, then the referral closes and the case is back to orientation', async () => {
    const { caseId, referralId, revision } = await sentReferral();
    const declined = await partner
      .post(`/api/v1/partner/referrals/${referralId}/answers`)
      .send({ expectedRevision: revision, answer: { type: 'DECLINE', reason: 'not_eligible' } })
      .expect(200);
    expect(declined.body).toMatchObject({ status: 'declined', answer: { declineReason: 'not_eligible' } });
    const read = await reception.get(`/api/v1/cases/${caseId}`).expect(200);
    expect(read.body.stage).toBe('orientation');
  });

  it('when the partner redirects to another organisation, then this referral closes and a new draft is proposed to the sender', async () => {
    const { caseId, referralId, revision } = await sentReferral();
    const redirected = await partner
      .post(`/api/v1/partner/referrals/${referralId}/answers`)
      .send({ expectedRevision: revision, answer: { type: 'REDIRECT', suggestedOrganisationId: world.foreignOrganisationId } })
      .expect(200);
    expect(redirected.body).toMatchObject({
      status: 'redirected',
      proposedDraft: {
        status: 'draft',
        toOrganisationId: world.foreignOrganisationId,
        fromOrganisationId: world.entryOrganisationId,
        redirectedFromId: referralId,
      },
    });
    const listed = await reception.get(`/api/v1/cases/${caseId}/referrals`).expect(200);
    expect(listed.body.items.map((item: { status: string }) => item.status)).toEqual(['redirected', 'draft']);
    // The consent names the CAF only: sending the proposed draft to the CCAS needs a consent for it.
    await reception.post(`/api/v1/referrals/${redirected.body.proposedDraft.id}/send`).send({ expectedRevision: 0 }).expect(422);
  });

  it('when the sender cancels, then the partner loses access at the next request', async () => {
    const { referralId, revision } = await sentReferral();
    await partner.get(`/api/v1/partner/referrals/${referralId}`).expect(200);
    const cancelled = await reception
      .post(`/api/v1/referrals/${referralId}/cancel`)
      .send({ expectedRevision: revision })
      .expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    await partner.get(`/api/v1/partner/referrals/${referralId}`).expect(404);
    await partner
      .post(`/api/v1/partner/referrals/${referralId}/answers`)
      .send({ expectedRevision: cancelled.body.revision, answer: { type: 'ACCEPT' } })
      .expect(404);
  });

  it('when the consent is withdrawn, then the next request is denied and the recipients are told by the worker', async () => {
    const { referralId, consentId } = await sentReferral();
    await partner.get(`/api/v1/partner/referrals/${referralId}`).expect(200);
    const withdrawn = await reception
      .post(`/api/v1/consents/${consentId}/withdrawal`)
      .send({ withdrawnBy: 'person', channel: 'phone' })
      .expect(200);
    expect(withdrawn.body).toMatchObject({ active: false, withdrawnBy: 'person', withdrawalChannel: 'phone' });
    await partner.get(`/api/v1/partner/referrals/${referralId}`).expect(404);
    // Still awaiting an answer, it can no longer proceed: cancelled with its deadlines, listed as closed.
    const inbox = await partner.get('/api/v1/partner/referrals?scope=all').expect(200);
    expect(inbox.body.items.find((item: { id: string }) => item.id === referralId)).toMatchObject({
      accessible: false,
      status: 'cancelled',
    });
    const jobs = await database.db.select().from(outbox).where(eq(outbox.jobName, 'consent.withdrawn'));
    expect(jobs.map((job) => (job.payload as { consentId: string }).consentId)).toContain(consentId);
    expect(
      problemOf(
        await reception
          .post(`/api/v1/consents/${consentId}/withdrawal`)
          .send({ withdrawnBy: 'person', channel: 'phone' })
          .expect(409),
      ),
    ).toMatchObject({ type: 'urn:parcours:problem:consent-already-withdrawn' });
    await reception
      .post(`/api/v1/consents/${consentId}/withdrawal`)
      .send({ withdrawnBy: 'voisin', channel: 'pigeon' })
      .expect(400);
  });
});

describe('référent handover', () => {
  it('when the référent hands the case to another organisation, then consent is checked again and the note is kept apart', async () => {
    await withdrawAll();
    const caseId = await caseInOrientation();
    const read = await reception.get(`/api/v1/cases/${caseId}`).expect(200);
    const body = {
      expectedRevision: read.body.revision,
      referentOrganisationId: world.foreignOrganisationId,
      note: 'Suivi logement à Gap',
    };
    const before = await writeCounts();
    const refused = await reception.post(`/api/v1/cases/${caseId}/referent`).send(body).expect(422);
    expect(problemOf(refused)).toMatchObject({ type: 'urn:parcours:problem:consent-not-covering' });
    await reception
      .post(`/api/v1/cases/${caseId}/referent`)
      .send({ ...body, note: '' })
      .expect(400);
    await foreign.post(`/api/v1/cases/${caseId}/referent`).send(body).expect(404);
    expect(await writeCounts()).toEqual(before);

    const consentId = await recordConsent(['identity', 'situation_summary'], [world.foreignOrganisationId], ['social_support']);
    const moved = await reception.post(`/api/v1/cases/${caseId}/referent`).send(body).expect(200);
    expect(moved.body.revision).toBe(read.body.revision + 1);
    const [note] = await database.db.select().from(referentHandovers).where(eq(referentHandovers.caseId, caseId));
    expect(note).toMatchObject({
      fromOrganisationId: world.entryOrganisationId,
      toOrganisationId: world.foreignOrganisationId,
      note: 'Suivi logement à Gap',
      consentId,
    });
    const events = await database.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));
    expect(JSON.stringify(events)).not.toContain('Gap');
    // The entry organisation is no longer the référent: it cannot hand over again.
    await reception
      .post(`/api/v1/cases/${caseId}/referent`)
      .send({ ...body, expectedRevision: moved.body.revision, referentOrganisationId: world.entryOrganisationId })
      .expect(403);
  });
});

describe('partner links', () => {
  async function issueLink(referralId: string) {
    const response = await reception.post(`/api/v1/referrals/${referralId}/partner-links`).send({}).expect(201);
    return response.body as { linkId: string; token: string; url: string; expiresAt: string };
  }

  it('when a link is issued, then the token carries no personal data, only its hash is stored, valid 8 days', async () => {
    const { referralId } = await sentReferral();
    const link = await issueLink(referralId);
    expect(link.url).toBe(`/partenaire/lien#${link.token}`);
    expect(link.token).not.toMatch(/Martin|Camille/);
    expect(new Date(link.expiresAt).getTime() - clock.now().getTime()).toBe(8 * 24 * 60 * 60 * 1000);
    const [row] = await database.db.select().from(partnerLinks).where(eq(partnerLinks.id, link.linkId));
    expect(row?.tokenSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(link.token);
    await foreign.post(`/api/v1/referrals/${referralId}/partner-links`).send({}).expect(404);
  });

  it('when a partner without an account uses the link, then it sees only covered categories (never health), accepts and sets an appointment as partner_link; the link is then used', async () => {
    const { referralId, revision } = await sentReferral(['identity', 'health']);
    const link = await issueLink(referralId);
    const read = await request(app).post('/api/v1/partner-link/referral').send({ token: link.token }).expect(200);
    expect(read.body.visibleCategories).toEqual(['identity']);
    expect(Object.keys(read.body.data)).toEqual(['identity']);

    const accepted = await request(app)
      .post('/api/v1/partner-link/answers')
      .send({ token: link.token, expectedRevision: revision, answer: { type: 'ACCEPT' } })
      .expect(200);
    const [event] = await database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.referralId, referralId), eq(caseEvents.eventType, 'ACCEPT')));
    expect(event).toMatchObject({
      actorKind: 'partner_link',
      actorId: link.linkId,
      actorOrganisationId: world.partnerOrganisationId,
    });
    // Only accept, decline, appointment through a link.
    await request(app)
      .post('/api/v1/partner-link/answers')
      .send({ token: link.token, expectedRevision: accepted.body.revision, answer: { type: 'START_SUPPORT' } })
      .expect(400);
    await request(app)
      .post('/api/v1/partner-link/answers')
      .send({
        token: link.token,
        expectedRevision: accepted.body.revision,
        answer: { type: 'SET_APPOINTMENT', at: '2026-03-12T14:00:00+01:00', mode: 'in_person' },
      })
      .expect(200);

    // Reused after the answer: refused, nothing written.
    const before = await writeCounts();
    const reused = await request(app)
      .post('/api/v1/partner-link/answers')
      .send({
        token: link.token,
        expectedRevision: accepted.body.revision + 1,
        answer: { type: 'SET_APPOINTMENT', at: '2026-03-13T14:00:00+01:00', mode: 'phone' },
      })
      .expect(403);
    expect(problemOf(reused)).toMatchObject({ type: 'urn:parcours:problem:partner-link-refused' });
    await request(app).post('/api/v1/partner-link/referral').send({ token: link.token }).expect(403);
    const after = await writeCounts();
    expect(after).toEqual(before);
  });

  it('when a link is tampered with, then it is refused and nothing is written', async () => {
    const { referralId, revision } = await sentReferral();
    const link = await issueLink(referralId);
    const [id, expiry, signature] = link.token.split('.');
    const forgedExpiry = `${id}.${(Number.parseInt(expiry ?? '0', 36) + 86_400_000).toString(36)}.${signature}`;
    const flipped = `${id}.${expiry}.${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1)}`;
    const before = await writeCounts();
    for (const token of [forgedExpiry, flipped, `${link.token}x`, 'pas-un-jeton-du-tout-mais-assez-long']) {
      problemOf(
        await request(app)
          .post('/api/v1/partner-link/answers')
          .send({ token, expectedRevision: revision, answer: { type: 'ACCEPT' } })
          .expect(403),
      );
      await request(app).post('/api/v1/partner-link/referral').send({ token }).expect(403);
    }
    expect(await writeCounts()).toEqual(before);
  });

  it('when a link has expired, then it is refused and nothing is written', async () => {
    const { referralId, revision } = await sentReferral();
    const link = await issueLink(referralId);
    const start = clock.now();
    clock.advanceDays(8);
    try {
      const before = await writeCounts();
      const response = await request(app)
        .post('/api/v1/partner-link/answers')
        .send({ token: link.token, expectedRevision: revision, answer: { type: 'DECLINE', reason: 'service_full' } })
        .expect(403);
      expect(String(problemOf(response).detail)).toContain('expiré');
      expect(await writeCounts()).toEqual(before);
    } finally {
      clock.set(start);
    }
  });

  it('when the consent is withdrawn or the referral cancelled, then the link no longer opens the case', async () => {
    const { referralId, consentId, revision } = await sentReferral();
    const link = await issueLink(referralId);
    await request(app).post('/api/v1/partner-link/referral').send({ token: link.token }).expect(200);
    await reception
      .post(`/api/v1/consents/${consentId}/withdrawal`)
      .send({ withdrawnBy: 'person', channel: 'email' })
      .expect(200);
    await request(app).post('/api/v1/partner-link/referral').send({ token: link.token }).expect(403);
    await request(app)
      .post('/api/v1/partner-link/answers')
      .send({ token: link.token, expectedRevision: revision, answer: { type: 'ACCEPT' } })
      .expect(403);
    // The withdrawal cancelled the referral still awaiting an answer, and revoked its links with it.
    await reception.post(`/api/v1/referrals/${referralId}/cancel`).send({ expectedRevision: revision }).expect(409);
    const [row] = await database.db.select().from(partnerLinks).where(eq(partnerLinks.id, link.linkId));
    expect(row?.revokedAt).not.toBeNull();
    const [cancelled] = await database.db.select().from(referrals).where(eq(referrals.id, referralId));
    expect(cancelled?.status).toBe('cancelled');
  });
});

describe('deadlines end to end', () => {
  it('when the partner does not answer, then the reminder, the escalation and the expiry fire from the territory settings, and expiry ends access', async () => {
    const { caseId, referralId } = await sentReferral();
    const start = clock.now();
    try {
      clock.advanceDays(60);
      for (const due of await listDueTimers(database.db, clock.now())) await fireTimer(database.db, due, { clock });
      const effects = await database.db.select().from(outbox);
      const names = effects
        .filter((row) => (row.payload as { referralId?: string }).referralId === referralId)
        .map((row) => row.jobName);
      expect(names).toEqual(expect.arrayContaining(['effect.remindPartner', 'effect.escalateToSenderSupervisor']));
      const [row] = await database.db.select().from(referrals).where(eq(referrals.id, referralId));
      expect(row?.status).toBe('expired');
      const read = await reception.get(`/api/v1/cases/${caseId}`).expect(200);
      expect(read.body.stage).toBe('orientation');
      await partner.get(`/api/v1/partner/referrals/${referralId}`).expect(404);
    } finally {
      clock.set(start);
    }
  });
});

describe('properties', () => {
  it('no answer to a partner ever contains a category its consent does not cover; a withdrawal denies the next request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...dataCategories), { minLength: 1 }),
        fc.uniqueArray(fc.constantFrom(...dataCategories), { minLength: 1 }),
        fc.boolean(),
        async (consented, shared, withHealth) => {
          await withdrawAll();
          const caseId = await caseInOrientation();
          const consentId = await recordConsent(consented);
          // Sent while the consent covered it (a consent for the whole draft), then narrowed by a new consent.
          const wide = await recordConsent([...new Set([...consented, ...shared])]);
          const draft = await draftReferral(caseId, shared);
          await reception.post(`/api/v1/referrals/${draft.id}/send`).send({ expectedRevision: 0 }).expect(200);
          await reception
            .post(`/api/v1/consents/${wide}/withdrawal`)
            .send({ withdrawnBy: 'person', channel: 'in_person' })
            .expect(200);
          const reader = withHealth ? healthPartner : partner;
          const response = await reader.get(`/api/v1/partner/referrals/${draft.id}`);
          const covered = shared.filter((category) => consented.includes(category));
          expect(response.status).toBe(200);
          for (const key of Object.keys(response.body.data)) {
            expect(consented).toContain(key);
            expect(shared).toContain(key);
          }
          if (!withHealth) expect(Object.keys(response.body.data)).not.toContain('health');
          expect(response.body.visibleCategories.every((category: DataCategory) => covered.includes(category))).toBe(true);
          await reception
            .post(`/api/v1/consents/${consentId}/withdrawal`)
            .send({ withdrawnBy: 'person', channel: 'in_person' })
            .expect(200);
          await reader.get(`/api/v1/partner/referrals/${draft.id}`).expect(404);
        },
      ),
      { numRuns: 12 },
    );
  });
});
