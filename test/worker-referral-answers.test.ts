/**
 * A partner's answers and a consent's end, across the engine, the desk's rows and the worker: an answer is
 * mailed to the people who follow the case; a withdrawn consent is mailed to its recipients' partner
 * agents. Once each, with a link, and nothing about the person.
 */
import { type Actor, consents, outbox } from '@parcours/db';
import { sendReferralEvent } from '@parcours/engine';
import { createFixtureTerritory } from '@parcours/testing';
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../services/worker/test/support.ts';
import { sentReferralOf, useInProcessWorker } from './in-process-worker.ts';

describe('referral answers and consent withdrawals through the worker (in-process runner)', () => {
  const world = useInProcessWorker();
  const { clock, publicUrl } = world;

  it('when the partner accepts and the consent is then withdrawn, then the référent and the partner agents are told, without personal data', async () => {
    clock.jumpTo('2026-03-02T09:00:00Z');
    const fixture = await createFixtureTerritory(world.database.db);
    const partner: Actor = { kind: 'agent', id: fixture.partnerAgentId, organisationId: fixture.partnerOrganisationId };
    const { caseId, referralId } = await sentReferralOf(world.database.db, fixture, clock, 'housing');
    await sendReferralEvent(
      world.database.db,
      { referralId, event: { type: 'ACCEPT', conditions: 'Apporter le bail' }, expectedRevision: 1 },
      { actor: partner, clock },
    );
    // A withdrawal, as the desk writes it: the consent row and its job, in one transaction.
    const [consent] = await world.database.db
      .insert(consents)
      .values({
        personId: fixture.personId,
        caseId,
        decision: 'consent',
        givenBy: 'person',
        recipientOrganisationIds: [fixture.partnerOrganisationId],
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
    await world.database.db
      .insert(outbox)
      .values({ jobName: 'consent.withdrawn', payload: { consentId: consent?.id, endedAt: clock.now().toISOString() } });

    await world.startWorker();
    const referentEmail = `accueil-${fixture.territoryId}@example.test`;
    const partnerEmail = `caf-${fixture.territoryId}@example.test`;
    const newReferralSubject = 'Parcours : une nouvelle orientation pour votre structure';
    // The partner was told of the referral when it was sent (worker-referral-mail.test.ts): that mail apart.
    const mailsTo = (email: string) =>
      world.smtp.received.filter((mail) => mail.to.includes(email) && mail.subject !== newReferralSubject);
    await waitFor(async () => mailsTo(referentEmail).length > 0 && mailsTo(partnerEmail).length > 0, 'both mails');
    await sleep(300);

    const [answered] = mailsTo(referentEmail);
    const [ended] = mailsTo(partnerEmail);
    expect(mailsTo(referentEmail)).toHaveLength(1);
    expect(mailsTo(partnerEmail)).toHaveLength(1);
    expect(answered?.subject).toBe('Parcours : un partenaire a répondu à une orientation');
    expect(answered?.text).toContain('orientation acceptée');
    expect(answered?.text).toContain(`${publicUrl}/dossiers/${caseId}`);
    expect(ended?.subject).toBe('Parcours : une autorisation de partage a pris fin');
    expect(ended?.text).toContain(`${publicUrl}/partenaire/orientations`);
    for (const mail of [answered, ended]) {
      for (const word of ['Martin', 'Camille', 'logement', 'Madame', 'bail']) expect(mail?.decoded).not.toContain(word);
    }
  });
});
