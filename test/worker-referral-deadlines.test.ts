/**
 * A referral nobody answers, across the engine and the worker: the engine arms the referral's reminder and
 * escalation deadlines when it is sent; the worker fires each on time and mails the right people — the
 * partner's agents, then the sender's supervisors — once each, with a link and nothing about the person.
 */
import { randomBytes } from 'node:crypto';
import { type Actor, agents, caseTimers, memberships } from '@parcours/db';
import { createReferral, getReferralView, openCase, sendCaseEvent, sendReferralEvent } from '@parcours/engine';
import { createLogger } from '@parcours/observability';
import {
  createFixtureTerritory,
  createTestDatabase,
  databaseTarget,
  type FixtureTerritory,
  redisForTests,
  type TestDatabase,
} from '@parcours/testing';
import { createWorker, type ParcoursWorker } from '@parcours/worker';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// The worker's own test support (a real SMTP server, a shifted clock): shared rather than copied.
import { ShiftedClock, sleep, startSmtpServer, waitFor } from '../services/worker/test/support.ts';

const redis = redisForTests();
const postgres = databaseTarget().backend === 'postgres';
const runners = [
  { name: 'in-process', redisUrl: null },
  ...(postgres && redis.url ? [{ name: 'bullmq', redisUrl: redis.url }] : []),
];

// Without Redis (outside CI only), the BullMQ suites are absent: one skipped entry says why.
if (redis.url === null) {
  describe.skip(`referral deadlines on the bullmq runner — skipped: ${redis.skipReason}`, () => {
    it('needs Redis', () => {});
  });
}

describe.each(runners)('referral deadlines through the worker on the $name runner', ({ redisUrl }) => {
  const prefix = `parcours-test-${randomBytes(4).toString('hex')}`;
  const clock = new ShiftedClock();
  const publicUrl = 'https://parcours.example.test';
  let database: TestDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let fixture: FixtureTerritory;
  let worker: ParcoursWorker | null = null;

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(async () => {
    if (redisUrl) {
      const { obliterateQueues } = await import('../services/worker/src/runners/bullmq.runner.ts');
      await obliterateQueues(redisUrl, prefix);
    }
    await smtp?.close();
    await database?.close();
  });

  it('when a partner does not answer, then its agents get a reminder and the sender’s supervisors an escalation, once each', async () => {
    clock.jumpTo('2026-03-02T09:00:00Z');
    fixture = await createFixtureTerritory(database.db);
    const [supervisor] = await database.db
      .insert(agents)
      .values({ email: `encadrante-${fixture.territoryId}@example.test`, displayName: 'Encadrante' })
      .returning({ id: agents.id, email: agents.email });
    if (!supervisor) throw new Error('no supervisor');
    await database.db
      .insert(memberships)
      .values({ agentId: supervisor.id, organisationId: fixture.entryOrganisationId, roles: ['supervisor'] });
    const partnerEmail = `caf-${fixture.territoryId}@example.test`;
    const agent: Actor = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };

    const opened = await openCase(
      database.db,
      {
        territoryId: fixture.territoryId,
        entryOrganisationId: fixture.entryOrganisationId,
        channel: 'phone',
        expressedRequest: 'Madame Martin demande de l’aide pour sa prime d’activité',
        members: [{ personId: fixture.personId, role: 'primary' }],
      },
      { actor: agent, clock },
    );
    let view = await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    view = await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'COMPLETE_ASSESSMENT' }, expectedRevision: view.revision },
      { actor: agent, clock },
    );
    const draft = await createReferral(
      database.db,
      {
        caseId: opened.id,
        fromOrganisationId: fixture.entryOrganisationId,
        toOrganisationId: fixture.partnerOrganisationId,
        purpose: 'rights_opening',
        sharedCategories: ['identity', 'situation_summary'],
      },
      { actor: agent, clock },
    );
    await sendReferralEvent(
      database.db,
      { referralId: draft.id, event: { type: 'SEND' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    const timers = await database.db.select().from(caseTimers).where(eq(caseTimers.subjectId, draft.id));
    const dueOf = (delayName: string) => {
      const timer = timers.find((row) => row.delayName === delayName);
      if (!timer) throw new Error(`no ${delayName} timer`);
      return timer.dueAt;
    };

    worker = createWorker({
      // As in production: a non-owner role under row-level security.
      db: (await database.connectAsService()).db,
      logger: createLogger({ name: 'worker-test' }),
      redisUrl,
      mail: { smtpUrl: smtp.url, from: 'Parcours <parcours@example.test>' },
      publicUrl,
      clock,
      relayIntervalMs: 20,
      sweepIntervalMs: 100,
      queuePrefix: prefix,
      retryDelayMs: 2,
    });
    await worker.start();
    const newReferralSubject = 'Parcours : une nouvelle orientation pour votre structure';
    // The partner was told of the referral when it was sent (worker-referral-mail.test.ts): reminders apart.
    const mailsTo = (email: string) =>
      smtp.received.filter((mail) => mail.to.includes(email) && mail.subject !== newReferralSubject);

    clock.jumpTo(new Date(dueOf('referralReminder').getTime() - 200));
    await waitFor(async () => mailsTo(partnerEmail).length > 0, 'the reminder');
    clock.jumpTo(new Date(dueOf('referralEscalation').getTime() - 200));
    await waitFor(async () => mailsTo(supervisor.email).length > 0, 'the escalation');
    await sleep(300);

    const [reminder] = mailsTo(partnerEmail);
    const [escalation] = mailsTo(supervisor.email);
    expect(mailsTo(partnerEmail)).toHaveLength(1);
    expect(mailsTo(supervisor.email)).toHaveLength(1);
    expect(reminder?.subject).toBe('Parcours : une orientation attend la réponse de votre structure');
    expect(escalation?.subject).toBe('Parcours : une orientation de votre structure reste sans réponse');
    // The partner opens the referral it received; the sender's supervisor, the case.
    expect(reminder?.text).toContain(`${publicUrl}/partenaire/orientations/${draft.id}`);
    expect(escalation?.text).toContain(`${publicUrl}/dossiers/${opened.id}`);
    for (const mail of [reminder, escalation]) {
      for (const word of ['Martin', 'Camille', 'prime d’activité', 'Madame']) expect(mail?.decoded).not.toContain(word);
    }
    // The escalation links to the territory's list of referrals past their deadlines (« Pilotage »).
    expect(escalation?.text).toContain(`${publicUrl}/pilotage/depassements`);
    // Nobody else in the sending organisation is mailed: the escalation goes to supervisors only.
    expect(mailsTo(`accueil-${fixture.territoryId}@example.test`)).toHaveLength(0);
    // Reminding and escalating leave the referral waiting for its answer.
    expect((await getReferralView(database.db, draft.id))?.status).toBe('sent');
  });
});
