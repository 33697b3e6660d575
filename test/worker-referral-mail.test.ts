/**
 * Partners hear of the referrals sent to them: one mail each by default, or, for a partner agent who chose it,
 * one digest per half-day (08:00 and 13:00 Paris time) read from the log — never both, never twice, nothing
 * about the person.
 */
import { mailDeliveries, memberships, outbox } from '@parcours/db';
import { createLogger } from '@parcours/observability';
import { createFixtureTerritory } from '@parcours/testing';
import { eq, isNull, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createMailRenderer } from '../services/worker/src/mail/mail.templates.ts';
import { createMailTransport } from '../services/worker/src/mail/mail.transport.ts';
import { sendReferralDigests } from '../services/worker/src/mail/referral-digest.ts';
import { waitFor } from '../services/worker/test/support.ts';
import { sentReferralOf, useInProcessWorker } from './in-process-worker.ts';

const personWords = ['Martin', 'Camille', 'logement', 'Madame'];

describe('mails about new referrals (in-process runner)', () => {
  const world = useInProcessWorker();
  const { clock, publicUrl } = world;

  it('when a referral is sent to a partner agent who kept one mail per referral, then it gets one mail linking to it', async () => {
    clock.jumpTo('2026-03-02T09:00:00Z');
    const fixture = await createFixtureTerritory(world.database.db);
    const { referralId } = await sentReferralOf(world.database.db, fixture, clock, 'housing');
    await world.startWorker();
    const partnerEmail = `caf-${fixture.territoryId}@example.test`;
    const toPartner = () => world.smtp.received.filter((mail) => mail.to.includes(partnerEmail));
    await waitFor(async () => toPartner().length > 0, 'the new referral mail');
    await world.stopWorker();

    const [mail] = toPartner();
    expect(toPartner()).toHaveLength(1);
    expect(mail?.subject).toBe('Parcours : une nouvelle orientation pour votre structure');
    expect(mail?.text).toContain(`${publicUrl}/partenaire/orientations/${referralId}`);
    expect(mail?.text).toContain('2 mars 2026 à 10:00');
    for (const word of personWords) expect(mail?.decoded).not.toContain(word);
    const deliveries = await world.database.db
      .select({ status: mailDeliveries.status })
      .from(mailDeliveries)
      .where(eq(mailDeliveries.template, 'referral-received'));
    expect(deliveries).toEqual([{ status: 'sent' }]);
  });

  it('when the partner chose the digest, then it gets no mail per referral and, at 13:00, one mail listing the morning’s, once — even after a refusal', async () => {
    const fixture = await createFixtureTerritory(world.database.db);
    await world.database.db
      .update(memberships)
      .set({ referralMail: 'digest' })
      .where(eq(memberships.agentId, fixture.partnerAgentId));
    // 09:30 and 12:59 in Paris (winter time): in the window that closes at 13:00; 13:10 is in the next one.
    clock.jumpTo('2026-03-03T08:30:00Z');
    const { referralId: first } = await sentReferralOf(world.database.db, fixture, clock, 'housing');
    clock.jumpTo('2026-03-03T11:59:00Z');
    const { referralId: second } = await sentReferralOf(world.database.db, fixture, clock, 'rights_opening');
    const partnerEmail = `caf-${fixture.territoryId}@example.test`;
    const toPartner = () => world.smtp.received.filter((mail) => mail.to.includes(partnerEmail));
    const digestKey = like(mailDeliveries.idempotencyKey, `digest:${fixture.partnerOrganisationId}:%`);
    const digestRows = () => world.database.db.select({ status: mailDeliveries.status }).from(mailDeliveries).where(digestKey);

    // 12:59 in Paris: the worker runs every effect (none mails the partner), the window is still open.
    await world.startWorker();
    await waitFor(
      async () => (await world.database.db.select({ id: outbox.id }).from(outbox).where(isNull(outbox.completedAt))).length === 0,
      'the outbox drained',
    );
    await world.stopWorker();
    expect(toPartner()).toHaveLength(0);
    clock.jumpTo('2026-03-03T12:10:00Z');
    const { referralId: later } = await sentReferralOf(world.database.db, fixture, clock, 'housing');

    // 13:10: the SMTP server refuses the digest once; it stays owed, as a failed delivery.
    const deps = {
      db: (await world.database.connectAsService()).db,
      logger: createLogger({ name: 'digest-test' }),
      renderer: createMailRenderer(),
      transport: createMailTransport({ smtpUrl: world.smtp.url, from: 'Parcours <parcours@example.test>' }),
      now: () => clock.now(),
      publicUrl,
    };
    world.smtp.refuse(1);
    expect(await sendReferralDigests(deps)).toBe(0);
    expect(await digestRows()).toEqual([{ status: 'failed' }]);
    // The worker's next run (at its start) sends it; a run after that finds it sent.
    await world.startWorker();
    await waitFor(async () => toPartner().length > 0, 'the digest');
    await world.stopWorker();
    expect(await sendReferralDigests(deps)).toBe(0);
    await deps.transport.close();

    const [digest] = toPartner();
    expect(toPartner()).toHaveLength(1);
    expect(digest?.subject).toBe('Parcours : récapitulatif des orientations reçues par votre structure');
    expect(digest?.text).toContain('entre le 3 mars 2026 à 08:00 et le 3 mars 2026 à 13:00');
    expect(digest?.text).toContain(`Logement, envoyée le 3 mars 2026 à 09:30 : ${publicUrl}/partenaire/orientations/${first}`);
    expect(digest?.text).toContain(
      `Ouverture de droits, envoyée le 3 mars 2026 à 12:59 : ${publicUrl}/partenaire/orientations/${second}`,
    );
    expect(digest?.text).not.toContain(later);
    expect(digest?.html).toContain(`href="${publicUrl}/partenaire/orientations/${first}"`);
    for (const word of ['Martin', 'Camille', 'Madame']) expect(digest?.decoded).not.toContain(word);
    expect(await digestRows()).toEqual([{ status: 'sent' }]);
  });
});
