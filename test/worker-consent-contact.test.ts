/**
 * A consent's end told to a partner without accounts: an organisation that answers through signed links has
 * no agent to mail, so its contact address is told — once, however many times the job is delivered, with
 * no link into the app and nothing about the person.
 */
import { type Actor, consents, mailDeliveries, organisations, outbox } from '@parcours/db';
import { openCase } from '@parcours/engine';
import { createFixtureTerritory } from '@parcours/testing';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../services/worker/test/support.ts';
import { useInProcessWorker } from './in-process-worker.ts';

describe('consent withdrawn, told to an organisation without accounts (in-process runner)', () => {
  const world = useInProcessWorker();
  const { clock, publicUrl } = world;

  /**
   * A consent naming the CAF (a partner agent) and the CCAS (no agent: its contact address), withdrawn, and
   * its job in the outbox with `payloadExtra` (the organisations to tell, for a part withdrawn).
   */
  async function consentWithdrawnNamingTwo(payloadExtra: { recipientOrganisationIds?: string[] }) {
    clock.jumpTo('2026-03-02T09:00:00Z');
    const fixture = await createFixtureTerritory(world.database.db);
    const agent: Actor = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };
    // The fixture's CCAS has no agent: make it a partner answering through signed links.
    const contactEmail = `ccas-${fixture.territoryId}@example.test`;
    await world.database.db
      .update(organisations)
      .set({ usesParcours: false, contactEmail })
      .where(eq(organisations.id, fixture.foreignOrganisationId));
    // The CAF has a partner agent: its contact address is not told as well.
    const cafContactEmail = `contact-caf-${fixture.territoryId}@example.test`;
    await world.database.db
      .update(organisations)
      .set({ contactEmail: cafContactEmail })
      .where(eq(organisations.id, fixture.partnerOrganisationId));
    const opened = await openCase(
      world.database.db,
      {
        territoryId: fixture.territoryId,
        entryOrganisationId: fixture.entryOrganisationId,
        referentAgentId: fixture.agentId,
        channel: 'physical',
        expressedRequest: 'Madame Martin cherche un logement',
        members: [{ personId: fixture.personId, role: 'primary' }],
      },
      { actor: agent, clock },
    );
    const [consent] = await world.database.db
      .insert(consents)
      .values({
        personId: fixture.personId,
        caseId: opened.id,
        decision: 'consent',
        givenBy: 'person',
        recipientOrganisationIds: [fixture.partnerOrganisationId, fixture.foreignOrganisationId],
        purposes: ['housing'],
        categories: ['identity'],
        informationShown: ['what_is_shared', 'with_whom', 'by_what_means', 'which_security'],
        noticeVersion: 1,
        noticeSha256: 'a'.repeat(64),
        method: 'oral_attested',
        collectedByAgentId: fixture.agentId,
        collectedByOrganisationId: fixture.entryOrganisationId,
        collectedAt: new Date('2026-03-01T09:00:00Z'),
        withdrawnAt: clock.now(),
        withdrawnBy: 'person',
        withdrawalChannel: 'phone',
      })
      .returning({ id: consents.id });
    const [row] = await world.database.db
      .insert(outbox)
      .values({
        jobName: 'consent.withdrawn',
        payload: { consentId: consent?.id, endedAt: clock.now().toISOString(), ...payloadExtra },
      })
      .returning({ id: outbox.id });
    if (!row) throw new Error('outbox insert returned nothing');
    return { fixture, contactEmail, cafContactEmail, row };
  }

  it('when a consent naming it is withdrawn and the job is delivered twice, then its contact address gets one mail, without link nor personal data', async () => {
    const { fixture, contactEmail, cafContactEmail, row } = await consentWithdrawnNamingTwo({});
    const partnerEmail = `caf-${fixture.territoryId}@example.test`;
    const mailsTo = (email: string) => world.smtp.received.filter((mail) => mail.to.includes(email));
    await world.startWorker();
    await waitFor(async () => mailsTo(contactEmail).length > 0 && mailsTo(partnerEmail).length > 0, 'both mails');

    // Delivered again: as if the worker had died after sending, before recording the job done, the row is owed
    // again; the next start enqueues it once more (redispatchOwedOutbox) and the handler sends nothing new.
    await world.stopWorker();
    await world.database.db.update(outbox).set({ completedAt: null }).where(eq(outbox.id, row.id));
    const [before] = await world.database.db.select({ at: outbox.dispatchedAt }).from(outbox).where(eq(outbox.id, row.id));
    await sleep(20);
    await world.startWorker();
    await waitFor(async () => {
      const [after] = await world.database.db
        .select({ at: outbox.dispatchedAt, done: outbox.completedAt })
        .from(outbox)
        .where(eq(outbox.id, row.id));
      return after?.at && before?.at && after.at > before.at && after.done !== null;
    }, 'the job relayed again and done');
    await sleep(300);

    expect(mailsTo(contactEmail)).toHaveLength(1);
    expect(mailsTo(partnerEmail)).toHaveLength(1);
    expect(mailsTo(cafContactEmail)).toHaveLength(0);
    const [toContact] = mailsTo(contactEmail);
    const [toPartner] = mailsTo(partnerEmail);
    expect(toContact?.subject).toBe('Parcours : une autorisation de partage a pris fin');
    expect(toContact?.text).toContain('autorisation a pris fin');
    expect(toContact?.decoded).not.toContain(publicUrl);
    expect(toPartner?.text).toContain(`${publicUrl}/partenaire/orientations`);
    for (const mail of [toContact, toPartner]) {
      for (const word of ['Martin', 'Camille', 'logement', 'Madame']) expect(mail?.decoded).not.toContain(word);
    }

    const deliveries = await world.database.db
      .select({ key: mailDeliveries.idempotencyKey, agentId: mailDeliveries.recipientAgentId, status: mailDeliveries.status })
      .from(mailDeliveries)
      .where(eq(mailDeliveries.template, 'consent-withdrawn'));
    expect(deliveries).toHaveLength(2);
    expect(deliveries).toContainEqual({
      key: `${row.id}:consent-withdrawn:org:${fixture.foreignOrganisationId}`,
      agentId: null,
      status: 'sent',
    });
    expect(deliveries).toContainEqual({
      key: `${row.id}:consent-withdrawn:${fixture.partnerAgentId}`,
      agentId: fixture.partnerAgentId,
      status: 'sent',
    });
  });

  it('when only part of a consent is withdrawn, then only the organisations the job names are told', async () => {
    const { fixture, contactEmail } = await consentWithdrawnNamingTwo({ recipientOrganisationIds: [] });
    // The job of a part withdrawn names the organisations that lost access: here, the CCAS alone.
    const [named] = await world.database.db
      .insert(outbox)
      .values({
        jobName: 'consent.withdrawn',
        payload: {
          consentId: (
            await world.database.db.select({ id: consents.id }).from(consents).where(eq(consents.personId, fixture.personId))
          )[0]?.id,
          endedAt: clock.now().toISOString(),
          recipientOrganisationIds: [fixture.foreignOrganisationId],
        },
      })
      .returning({ id: outbox.id });
    if (!named) throw new Error('outbox insert returned nothing');
    const partnerEmail = `caf-${fixture.territoryId}@example.test`;
    const mailsTo = (email: string) => world.smtp.received.filter((mail) => mail.to.includes(email));
    await world.startWorker();
    await waitFor(async () => mailsTo(contactEmail).length > 0, 'the CCAS told');
    await sleep(300);
    expect(mailsTo(contactEmail)).toHaveLength(1);
    expect(mailsTo(partnerEmail)).toHaveLength(0);
  });
});
