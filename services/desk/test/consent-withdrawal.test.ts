import { consents, outbox, referrals } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { count, eq } from 'drizzle-orm';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWithThreeSentReferrals, createTerritoryWorld, emails, logInAs, problemOf } from './territory-world.ts';

/**
 * A consent withdrawn one recipient, purpose or category at a time: the rest stays in force as a new
 * record, the referrals no longer covered lose their partner's access (those awaiting an answer are
 * cancelled with their deadlines), their recipients are told, the referrer is warned.
 */
let database: TestDatabase;
let world: Awaited<ReturnType<typeof createTerritoryWorld>>;
let reception: TestAgent;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  reception = await logInAs(world.app, emails.reception);
});
afterAll(async () => {
  await database?.close();
});

const statusOf = async (referralId: string) =>
  (await database.db.select({ status: referrals.status }).from(referrals).where(eq(referrals.id, referralId)))[0]?.status;
const consentCount = async () => (await database.db.select({ n: count() }).from(consents))[0]?.n ?? 0;

describe('consent withdrawn one recipient, purpose or category at a time', () => {
  it('when one recipient of three is withdrawn, then the two others still read and answer, the third loses access, its referral is cancelled and it alone is told', async () => {
    const { caseId, consentId, sent } = await caseWithThreeSentReferrals(reception);
    const [caf, franceTravail] = await Promise.all([
      logInAs(world.app, emails.partner),
      logInAs(world.app, 'partenaire.france-travail@demo.parcours.test'),
    ]);
    await franceTravail.get(`/api/v1/partner/referrals/${sent.franceTravail.id}`).expect(200);

    const withdrawn = await reception
      .post(`/api/v1/consents/${consentId}/withdrawal`)
      .send({
        withdrawnBy: 'person',
        channel: 'in_person',
        only: { recipientOrganisationIds: [sent.franceTravail.toOrganisationId] },
      })
      .expect(200);
    expect(withdrawn.body).toMatchObject({ id: consentId, active: false, affectedReferralIds: [sent.franceTravail.id] });
    expect([...withdrawn.body.replacedBy.recipientOrganisationIds].sort()).toEqual(
      [sent.caf.toOrganisationId, sent.ccas.toOrganisationId].sort(),
    );
    expect(withdrawn.body.replacedBy).toMatchObject({ active: true, decision: 'consent' });

    // The withdrawn recipient: no access at its next request, its referral cancelled with its deadlines.
    await franceTravail.get(`/api/v1/partner/referrals/${sent.franceTravail.id}`).expect(404);
    expect(await statusOf(sent.franceTravail.id)).toBe('cancelled');
    // The two others: still in force.
    const read = await caf.get(`/api/v1/partner/referrals/${sent.caf.id}`).expect(200);
    await caf
      .post(`/api/v1/partner/referrals/${sent.caf.id}/answers`)
      .send({ expectedRevision: read.body.referral.revision, answer: { type: 'ACCEPT' } })
      .expect(200);
    const ccas = await logInAs(world.app, emails.foreign);
    await ccas.get(`/api/v1/partner/referrals/${sent.ccas.id}`).expect(200);
    expect(await statusOf(sent.ccas.id)).toBe('sent');
    // Told: France Travail alone, by a job carrying ids only.
    const jobs = await database.db.select().from(outbox).where(eq(outbox.jobName, 'consent.withdrawn'));
    const job = jobs.find((row) => (row.payload as { consentId: string }).consentId === consentId);
    expect(job?.payload).toMatchObject({ recipientOrganisationIds: [sent.franceTravail.toOrganisationId] });
    // The timeline says who cancelled: Parcours, on the consent's withdrawal.
    const casePage = await reception.get(`/api/v1/cases/${caseId}/timeline`).expect(200);
    expect(
      casePage.body.events.some(
        (event: { referralId: string; eventType: string }) =>
          event.referralId === sent.franceTravail.id && event.eventType === 'CANCEL',
      ),
    ).toBe(true);
  });

  it('when a category is withdrawn, then the partners still read their referrals without it; when a purpose is withdrawn, the referrals for it lose access', async () => {
    const { consentId, sent } = await caseWithThreeSentReferrals(reception);
    const withdrawn = await reception
      .post(`/api/v1/consents/${consentId}/withdrawal`)
      .send({ withdrawnBy: 'person', channel: 'phone', only: { categories: ['contact'] } })
      .expect(200);
    expect(withdrawn.body.replacedBy.categories).not.toContain('contact');
    expect(withdrawn.body.affectedReferralIds).toEqual([]);
    const caf = await logInAs(world.app, emails.partner);
    const read = await caf.get(`/api/v1/partner/referrals/${sent.caf.id}`).expect(200);
    expect(Object.keys(read.body.data)).not.toContain('contact');
    expect(sent.caf.sharedCategories).toContain('contact');

    const purpose = sent.caf.purpose;
    const sharingIt = Object.values(sent).filter((referral) => referral.purpose === purpose);
    const others = withdrawn.body.replacedBy.purposes.filter((code: string) => code !== purpose);
    const narrowed = await reception
      .post(`/api/v1/consents/${withdrawn.body.replacedBy.id}/withdrawal`)
      .send({ withdrawnBy: 'person', channel: 'phone', only: { purposes: [purpose] } })
      .expect(200);
    expect([...narrowed.body.affectedReferralIds].sort()).toEqual(sharingIt.map((referral) => referral.id).sort());
    expect(narrowed.body.replacedBy?.purposes ?? []).toEqual(others);
    await caf.get(`/api/v1/partner/referrals/${sent.caf.id}`).expect(404);
  });

  it('when an accepted referral loses its consent, then the case page and the referrals page warn the referrer', async () => {
    const { caseId, consentId, sent } = await caseWithThreeSentReferrals(reception);
    const caf = await logInAs(world.app, emails.partner);
    const read = await caf.get(`/api/v1/partner/referrals/${sent.caf.id}`).expect(200);
    await caf
      .post(`/api/v1/partner/referrals/${sent.caf.id}/answers`)
      .send({ expectedRevision: read.body.referral.revision, answer: { type: 'ACCEPT' } })
      .expect(200);
    await reception
      .post(`/api/v1/consents/${consentId}/withdrawal`)
      .send({ withdrawnBy: 'person', channel: 'email', only: { recipientOrganisationIds: [sent.caf.toOrganisationId] } })
      .expect(200);
    expect(await statusOf(sent.caf.id)).toBe('accepted');
    await caf.get(`/api/v1/partner/referrals/${sent.caf.id}`).expect(404);
    const casePage = await reception.get(`/dossiers/${caseId}`).expect(200);
    expect(casePage.text).toContain('id="consentement-retire"');
    expect(casePage.text).toContain('CAF des Hautes-Alpes');
    const referralsPage = await reception.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
    expect(referralsPage.text.match(/data-testid="consent-lost"/g)).toHaveLength(1);
  });

  it('when the withdrawal names what the consent does not hold, or an opposition is lifted in part, then 400 in French and nothing is written', async () => {
    const { consentId, sent } = await caseWithThreeSentReferrals(reception);
    const before = await consentCount();
    const unknown = await reception
      .post(`/api/v1/consents/${consentId}/withdrawal`)
      .send({
        withdrawnBy: 'person',
        channel: 'phone',
        only: { recipientOrganisationIds: [world.organisationIds['pad-briancon']], categories: ['health'] },
      })
      .expect(400);
    expect(problemOf(unknown)).toMatchObject({ type: 'urn:parcours:problem:validation-failed' });
    expect(unknown.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'only.categories',
      'only.recipientOrganisationIds',
    ]);
    await reception
      .post(`/api/v1/consents/${consentId}/withdrawal`)
      .send({ withdrawnBy: 'person', channel: 'phone', only: { purposes: ['not-a-purpose'] } })
      .expect(400);
    expect(await consentCount()).toBe(before);
    expect(await statusOf(sent.caf.id)).toBe('sent');
  });

  it('when every recipient is withdrawn one by one, then the last one withdraws the whole consent and no record stays in force', async () => {
    const { consentId, sent } = await caseWithThreeSentReferrals(reception);
    const first = await reception
      .post(`/api/v1/consents/${consentId}/withdrawal`)
      .send({
        withdrawnBy: 'person',
        channel: 'phone',
        only: { recipientOrganisationIds: [sent.caf.toOrganisationId, sent.ccas.toOrganisationId] },
      })
      .expect(200);
    const last = await reception
      .post(`/api/v1/consents/${first.body.replacedBy.id}/withdrawal`)
      .send({
        withdrawnBy: 'person',
        channel: 'phone',
        only: { recipientOrganisationIds: [sent.franceTravail.toOrganisationId] },
      })
      .expect(200);
    expect(last.body).toMatchObject({ active: false, replacedBy: null, affectedReferralIds: [sent.franceTravail.id] });
  });
});
