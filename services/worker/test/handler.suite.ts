import { randomBytes } from 'node:crypto';
import {
  type Actor,
  agents,
  caseEvents,
  caseTimers,
  directoryImports,
  directoryServices,
  jobFailures,
  mailDeliveries,
  memberships,
  outbox,
} from '@parcours/db';
import { createDirectoryImport } from '@parcours/directory-store';
import { openCase, sendCaseEvent } from '@parcours/engine';
import { listUndeliveredMail, resendMail } from '@parcours/job-store';
import { outboxRowOf } from '@parcours/jobs';
import { createLogger } from '@parcours/observability';
import { createFixtureTerritory, createTestDatabase, type FixtureTerritory, type TestDatabase } from '@parcours/testing';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createWorker, listJobFailures, type ParcoursWorker, replayJobFailure } from '../src/index.ts';
import { obliterateQueues } from '../src/runners/bullmq.runner.ts';
import { ShiftedClock, sleep, startSmtpServer, waitFor } from './support.ts';

export interface RunnerUnderTest {
  name: 'in-process' | 'bullmq';
  backend: 'postgres' | 'pglite';
  redisUrl: string | null;
}

const publicUrl = 'https://parcours.example.test';
const expressedRequest = 'Je n’arrive plus à payer mon loyer depuis que mon fils est parti';
// What must never appear in a mail: the fixture person's names, words and birth date in the forms a template
// would print (not the bare year: a mail's random message id may hold those four digits).
const personalData = ['Martin', 'Camille', 'loyer', 'fils', '1980-04-12', '12/04/1980', '12 avril 1980'];

/**
 * The handler tests every runner must pass, against a real database, a real SMTP server and (for BullMQ)
 * the machine's Redis. Call inside a describe: the tests run one after the other, since they start and
 * stop the suite's worker.
 */
export function defineHandlerSuite({ backend, redisUrl }: RunnerUnderTest): void {
  const prefix = `parcours-test-${randomBytes(4).toString('hex')}`;
  const clock = new ShiftedClock();
  const logger = createLogger({ name: 'worker-test' });
  let database: TestDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let fixture: FixtureTerritory;
  let agent: Actor;
  let colleague: { id: string; email: string };
  let running: ParcoursWorker[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ backend });
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    if (redisUrl) await obliterateQueues(redisUrl, prefix);
    await smtp?.close();
    await database?.close();
  });
  beforeEach(async () => {
    clock.jumpTo('2026-03-02T09:00:00Z');
    smtp.refuse(0);
    fixture = await createFixtureTerritory(database.db);
    agent = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };
    const [inserted] = await database.db
      .insert(agents)
      .values({ email: `referente-${fixture.territoryId}@example.test`, displayName: 'Référente' })
      .returning({ id: agents.id, email: agents.email });
    colleague = inserted as { id: string; email: string };
    await database.db
      .insert(memberships)
      .values({ agentId: colleague.id, organisationId: fixture.entryOrganisationId, roles: ['referent'] });
  });
  afterEach(async () => {
    for (const worker of running) await worker.stop();
    running = [];
  });

  async function startWorker(overrides: Partial<Parameters<typeof createWorker>[0]> = {}): Promise<ParcoursWorker> {
    const worker = createWorker({
      // As in production: a non-owner role under row-level security.
      db: (await database.connectAsService()).db,
      logger,
      redisUrl,
      mail: { smtpUrl: smtp.url, from: 'Parcours <parcours@example.test>' },
      publicUrl,
      clock,
      relayIntervalMs: 20,
      sweepIntervalMs: 100,
      queuePrefix: prefix,
      retryDelayMs: 2,
      ...overrides,
    });
    await worker.start();
    running.push(worker);
    return worker;
  }
  async function stopWorker(worker: ParcoursWorker): Promise<void> {
    await worker.stop();
    running = running.filter((other) => other !== worker);
  }

  const open = (referentAgentId?: string) =>
    openCase(
      database.db,
      {
        territoryId: fixture.territoryId,
        entryOrganisationId: fixture.entryOrganisationId,
        channel: 'physical',
        expressedRequest,
        members: [{ personId: fixture.personId, role: 'primary' }],
        ...(referentAgentId ? { referentAgentId } : {}),
      },
      { actor: agent, clock },
    );
  const receptionTimer = async (caseId: string) => {
    const [timer] = await database.db
      .select()
      .from(caseTimers)
      .where(and(eq(caseTimers.subjectId, caseId), eq(caseTimers.delayName, 'receptionDue')));
    if (!timer) throw new Error('no reception timer');
    return timer;
  };
  const timerEvents = (caseId: string) =>
    database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, caseId), like(caseEvents.eventType, 'xstate.after.%')));
  const outboxRowsOf = (caseId: string) => database.db.select().from(outbox).where(sql`${outbox.payload}->>'caseId' = ${caseId}`);
  const deliveriesOf = (caseId: string) => database.db.select().from(mailDeliveries).where(eq(mailDeliveries.caseId, caseId));
  const mailsTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email));
  const fixtureAgentEmail = () => `accueil-${fixture.territoryId}@example.test`;
  const armedRowDispatched = async (timerRowId: string) => {
    const rows = await database.db.select().from(outbox).where(eq(outbox.jobName, 'timer.armed'));
    return rows.some((row) => (row.payload as { timerRowId: string }).timerRowId === timerRowId && row.dispatchedAt !== null);
  };

  it('when the queue loses a mail job waiting for its retry (Redis emptied, or the in-process queue gone with its process), then it is enqueued again from PostgreSQL and mailed once', async () => {
    const opened = await open(colleague.id);
    smtp.refuse(1);
    // A first attempt refused, its retry 3 s away: long enough to lose it.
    const slowRetries = { retryDelayMs: 3_000, redispatchIntervalMs: 100, redispatchGraceMs: 300 };
    const first = await startWorker(slowRetries);
    await waitFor(async () => (await deliveriesOf(opened.id)).some((row) => row.status === 'failed'), 'the refused attempt');
    const [effect] = (await outboxRowsOf(opened.id)).filter((row) => row.jobName === 'effect.notifyCaseAssigned');
    expect(effect?.completedAt).toBeNull();
    if (redisUrl) {
      // What FLUSHALL does to this deployment's queues (other test files share the Redis): the retry is gone.
      await obliterateQueues(redisUrl, prefix);
    } else {
      // The in-process queue dies with its process; the next start finds the row owed.
      await stopWorker(first);
      await startWorker(slowRetries);
    }
    await waitFor(async () => mailsTo(colleague.email).length > 0, 'the mail, enqueued again');
    await waitFor(
      async () => (await outboxRowsOf(opened.id)).find((row) => row.id === effect?.id)?.completedAt != null,
      'the job recorded done',
    );
    await sleep(800); // several redispatch rounds: nothing more goes out
    expect(mailsTo(colleague.email)).toHaveLength(1);
    expect(await deliveriesOf(opened.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
  });

  it('when a mail was left pending by a worker that died mid-send, then it is marked uncertain for an admin, never sent again', async () => {
    const opened = await open(colleague.id);
    const [effect] = (await outboxRowsOf(opened.id)).filter((row) => row.jobName === 'effect.notifyCaseAssigned');
    // What the dead worker left: the delivery claimed 20 minutes ago, the outbox row relayed and never completed.
    await database.db.insert(mailDeliveries).values({
      idempotencyKey: `${effect?.id}:case-assigned:${colleague.id}`,
      template: 'case-assigned',
      recipientAgentId: colleague.id,
      caseId: opened.id,
      status: 'pending',
      attempts: 1,
      claimedAt: sql`now() - interval '20 minutes'`,
    });
    await database.db
      .update(outbox)
      .set({ dispatchedAt: sql`now() - interval '20 minutes'` })
      .where(eq(outbox.id, effect?.id as string));
    await startWorker({ redispatchIntervalMs: 100, redispatchGraceMs: 300 });
    await waitFor(async () => (await deliveriesOf(opened.id))[0]?.status === 'uncertain', 'the stale delivery resolved');
    await waitFor(
      async () => (await outboxRowsOf(opened.id)).find((row) => row.id === effect?.id)?.completedAt != null,
      'the job run again and done',
    );
    await sleep(300);
    expect(mailsTo(colleague.email)).toHaveLength(0);
    const [uncertain] = await deliveriesOf(opened.id);
    expect(uncertain?.lastError).toMatch(/on ne sait pas/);
    expect((await listUndeliveredMail(database.db)).map((mail) => [mail.id, mail.status])).toContainEqual([
      uncertain?.id,
      'uncertain',
    ]);
    // The admin checked that it did not arrive, and sends it again: once.
    expect(await resendMail(database.db, uncertain?.id as string)).toBe('requeued');
    await waitFor(async () => mailsTo(colleague.email).length > 0, 'the mail sent again by the admin');
    await sleep(500);
    expect(mailsTo(colleague.email)).toHaveLength(1);
    expect(await resendMail(database.db, uncertain?.id as string)).toBe('already_sent');
  });

  it('when a case is assigned to a colleague, then they get one mail through SMTP, linking to the case and naming no one', async () => {
    const opened = await open(colleague.id);
    await startWorker();
    const [mail] = await waitFor(
      async () => (mailsTo(colleague.email).length > 0 ? mailsTo(colleague.email) : null),
      'the assignment mail',
    );
    await sleep(200);
    expect(mailsTo(colleague.email)).toHaveLength(1);
    expect(mail?.subject).toBe('Parcours : un dossier vous a été confié');
    expect(mail?.text).toContain(`${publicUrl}/dossiers/${opened.id}`);
    expect(mail?.html).toContain(`href="${publicUrl}/dossiers/${opened.id}"`);
    expect(mail?.text).toMatch(/le \d{1,2} mars 2026 à 10:00/); // the opening, in Paris time
    for (const word of personalData) expect(mail?.decoded).not.toContain(word);

    const [effect] = (await outboxRowsOf(opened.id)).filter((row) => row.jobName === 'effect.notifyCaseAssigned');
    const deliveries = await deliveriesOf(opened.id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      idempotencyKey: `${effect?.id}:case-assigned:${colleague.id}`,
      status: 'sent',
      recipientAgentId: colleague.id,
      attempts: 1,
    });
    expect(deliveries[0]?.providerMessageId).toBeTruthy();
  });

  it('when a deadline passes and every outbox row is delivered twice, then it fires once and mails once', async () => {
    const opened = await open();
    const timer = await receptionTimer(opened.id);
    clock.jumpTo(new Date(timer.dueAt.getTime() - 200));
    await startWorker();
    await waitFor(async () => (await receptionTimer(opened.id)).status === 'fired', 'the deadline');
    await waitFor(async () => (await deliveriesOf(opened.id)).some((row) => row.status === 'sent'), 'the deadline mail');

    // Deliver everything again, as a relay that crashed before marking its rows would.
    const rows = await outboxRowsOf(opened.id);
    const timerRows = await database.db.select().from(outbox).where(sql`${outbox.payload}->>'timerRowId' = ${timer.id}`);
    const ids = [...rows, ...timerRows].map((row) => row.id);
    await database.db.update(outbox).set({ dispatchedAt: null }).where(inArray(outbox.id, ids));
    await waitFor(async () => {
      const again = await database.db.select().from(outbox).where(inArray(outbox.id, ids));
      return again.every((row) => row.dispatchedAt !== null && row.attempts === 2);
    }, 'the second relay');
    await sleep(300);

    const fired = await timerEvents(opened.id);
    expect(fired).toHaveLength(1);
    expect(fired[0]?.at.getTime()).toBeGreaterThanOrEqual(timer.dueAt.getTime());
    // No référent agent on the case: the référent organisation's referents are told, each once.
    const deliveries = await deliveriesOf(opened.id);
    expect(deliveries.map((row) => [row.template, row.recipientAgentId, row.status]).sort()).toEqual(
      [
        ['deadline-passed', fixture.agentId, 'sent'],
        ['deadline-passed', colleague.id, 'sent'],
      ].sort(),
    );
    expect(mailsTo(colleague.email)).toHaveLength(1);
    const mails = mailsTo(fixtureAgentEmail());
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('Parcours : une échéance est dépassée sur un dossier que vous suivez');
    expect(mails[0]?.text).toContain('« accueil »');
    expect(mails[0]?.text).toContain(`${publicUrl}/dossiers/${opened.id}`);
    for (const word of personalData) expect(mails[0]?.decoded).not.toContain(word);
  });

  it('when the worker is stopped before a deadline and started again after it, then the deadline fires once', async () => {
    const opened = await open();
    const timer = await receptionTimer(opened.id);
    clock.jumpTo(new Date(timer.dueAt.getTime() - 300));
    const first = await startWorker();
    await waitFor(() => armedRowDispatched(timer.id), 'the timer scheduled');
    await stopWorker(first);
    await sleep(500); // the deadline passes while no worker runs
    expect((await receptionTimer(opened.id)).status).toBe('armed');

    await startWorker();
    await waitFor(async () => (await receptionTimer(opened.id)).status === 'fired', 'the deadline after the restart');
    await waitFor(async () => (await deliveriesOf(opened.id)).some((row) => row.status === 'sent'), 'the deadline mail');
    await sleep(200);
    expect(await timerEvents(opened.id)).toHaveLength(1);
    expect(mailsTo(fixtureAgentEmail())).toHaveLength(1);
  });

  it('when a deadline is cancelled, then it never fires', async () => {
    const opened = await open();
    const timer = await receptionTimer(opened.id);
    clock.jumpTo(new Date(timer.dueAt.getTime() - 300));
    await startWorker();
    await waitFor(() => armedRowDispatched(timer.id), 'the timer scheduled');
    await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    await sleep(500); // past the old due date, and several sweeps
    expect((await receptionTimer(opened.id)).status).toBe('cancelled');
    expect(await timerEvents(opened.id)).toHaveLength(0);
    expect(await deliveriesOf(opened.id)).toHaveLength(0);
    expect(mailsTo(fixtureAgentEmail())).toHaveLength(0);
  });

  it('when a deadline is re-armed, then the old arming never fires and the new one fires once, at the new time', async () => {
    const opened = await open();
    const firstDue = (await receptionTimer(opened.id)).dueAt;
    await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'SUSPEND', reason: 'person_request' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    clock.jumpTo('2026-03-04T09:00:00Z');
    await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'RESUME' }, expectedRevision: 1 },
      { actor: agent, clock },
    );
    const rearmed = await receptionTimer(opened.id);
    expect(rearmed).toMatchObject({ status: 'armed', armedRevision: 2 });
    expect(rearmed.dueAt.getTime()).toBeGreaterThan(firstDue.getTime());
    await startWorker();

    clock.jumpTo(new Date(firstDue.getTime() + 1_000));
    await sleep(400);
    expect(await timerEvents(opened.id)).toHaveLength(0);

    clock.jumpTo(new Date(rearmed.dueAt.getTime() - 200));
    await waitFor(async () => (await receptionTimer(opened.id)).status === 'fired', 'the re-armed deadline');
    await waitFor(async () => (await deliveriesOf(opened.id)).some((row) => row.status === 'sent'), 'the deadline mail');
    await sleep(300);
    const fired = await timerEvents(opened.id);
    expect(fired).toHaveLength(1);
    expect(fired[0]?.at.getTime()).toBeGreaterThanOrEqual(rearmed.dueAt.getTime());
    expect(mailsTo(fixtureAgentEmail())).toHaveLength(1);
  });

  it('when the SMTP server refuses twice, then the mail is retried with backoff and arrives once', async () => {
    smtp.refuse(2);
    const opened = await open(colleague.id);
    await startWorker();
    await waitFor(async () => (await deliveriesOf(opened.id)).some((row) => row.status === 'sent'), 'the mail after retries');
    await sleep(200);
    expect(mailsTo(colleague.email)).toHaveLength(1);
    expect(await deliveriesOf(opened.id)).toMatchObject([{ status: 'sent', attempts: 3 }]);
  });

  it('when retries run out, then the job is listed as failed, and a replay sends the mail once', async () => {
    smtp.refuse(1_000);
    const opened = await open(colleague.id);
    const [effect] = (await outboxRowsOf(opened.id)).filter((row) => row.jobName === 'effect.notifyCaseAssigned');
    await startWorker();
    const failure = await waitFor(async () => {
      const [row] = await database.db
        .select()
        .from(jobFailures)
        .where(eq(jobFailures.jobId, effect?.id as string));
      return row;
    }, 'the failure record');
    expect(failure).toMatchObject({ jobName: 'effect.notifyCaseAssigned', attempts: 8, poison: false, replayedAt: null });
    expect(await deliveriesOf(opened.id)).toMatchObject([{ status: 'failed', attempts: 8 }]);
    expect((await listJobFailures(database.db)).map((row) => row.id)).toContain(failure.id);

    // Failed for good is done for the outbox (listed instead): nothing enqueues it again on its own.
    const effectRow = async () => (await outboxRowsOf(opened.id)).find((row) => row.id === effect?.id);
    await waitFor(async () => (await effectRow())?.completedAt != null, 'the failed job recorded done');

    smtp.refuse(0);
    expect(await replayJobFailure(database.db, failure.id, new Date())).toBe('requeued');
    // Replayed, it is owed again until it is done, whatever becomes of the queue.
    expect((await effectRow())?.completedAt).toBeNull();
    expect(await replayJobFailure(database.db, failure.id, new Date())).toBe('already_replayed');
    await waitFor(async () => (await deliveriesOf(opened.id)).some((row) => row.status === 'sent'), 'the replayed mail');
    await sleep(200);
    expect(mailsTo(colleague.email)).toHaveLength(1);
    expect(await deliveriesOf(opened.id)).toMatchObject([{ status: 'sent', attempts: 9 }]);
    expect((await listJobFailures(database.db)).map((row) => row.id)).not.toContain(failure.id);
    await waitFor(async () => (await effectRow())?.completedAt != null, 'the replayed job recorded done');
  });

  it('when an outbox row is poison, then it fails at once, without retry, and is listed for an admin', async () => {
    const [badPayload, unknownJob] = await database.db
      .insert(outbox)
      .values([
        { jobName: 'effect.notifyCaseAssigned', payload: { caseId: 'not-an-id', params: {} } },
        { jobName: 'effect.sendFax', payload: {} },
      ])
      .returning({ id: outbox.id });
    await startWorker();
    const failures = await waitFor(async () => {
      const rows = await database.db
        .select()
        .from(jobFailures)
        .where(inArray(jobFailures.jobId, [badPayload?.id as string, unknownJob?.id as string]));
      return rows.length === 2 ? rows : null;
    }, 'the poison failures');
    for (const failure of failures) expect(failure).toMatchObject({ poison: true, attempts: 1 });
    const rows = await database.db
      .select()
      .from(outbox)
      .where(inArray(outbox.id, [badPayload?.id as string, unknownJob?.id as string]));
    for (const row of rows) {
      expect(row.dispatchedAt).not.toBeNull();
      expect(row.lastError).toMatch(/PoisonPayloadError/);
    }
  });

  it('when a directory file is handed in and its job delivered twice, then the worker imports it once and the import ends done with its report', async () => {
    const service = (id: string) => ({
      ...directoryRow,
      id,
      name: `Service ${id}`,
    });
    const importId = await createDirectoryImport(database.db, {
      territoryId: fixture.territoryId,
      agentId: fixture.agentId,
      fileName: 'annuaire.json',
      content: JSON.stringify({ services: [service('worker-import-a'), service('worker-import-b'), { id: 'Bad Id' }] }),
    });
    // The desk writes one row; a second row for the same import stands for a delivery made twice.
    await database.db
      .insert(outbox)
      .values([outboxRowOf('directory.import', { importId }), outboxRowOf('directory.import', { importId })]);
    await startWorker();
    const done = await waitFor(async () => {
      const [row] = await database.db.select().from(directoryImports).where(eq(directoryImports.id, importId));
      const owed = await database.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.jobName, 'directory.import'), sql`${outbox.completedAt} is null`));
      return row?.status === 'done' && owed.length === 0 ? row : null;
    }, 'the directory import, done, and its jobs completed');
    expect(done).toMatchObject({ total: 3, processed: 3 });
    expect(done.report).toMatchObject({ written: 2, rejected: [{ index: 2, id: 'Bad Id' }] });
    const written = await database.db
      .select({ id: directoryServices.id, importedAt: directoryServices.importedAt })
      .from(directoryServices)
      .where(inArray(directoryServices.id, ['worker-import-a', 'worker-import-b']));
    expect(written).toHaveLength(2);
    // Imported once: the second delivery found the import finished (its start time was not moved).
    const [again] = await database.db.select().from(directoryImports).where(eq(directoryImports.id, importId));
    expect(again?.startedAt).toEqual(done.startedAt);
    await database.db.delete(directoryServices).where(inArray(directoryServices.id, ['worker-import-a', 'worker-import-b']));
  });
}

/** A valid directory row (the Parcours format) for the import test; its commune is the fixture territory's. */
const directoryRow = {
  organisation: { id: 'caf-05', name: 'CAF des Hautes-Alpes', kind: 'caf' },
  description: 'Accueil et information sur les prestations familiales.',
  bundles: ['prestations-sociales'],
  publics: ['all'],
  eligibility: '',
  cost: { kind: 'free' },
  prerequisites: [],
  documents: [],
  howToApply: { modes: ['walk_in'], description: '' },
  locations: [],
  permanences: [],
  communesServed: ['05070'],
  waitingTimeDays: null,
  contact: {},
  acceptsReferrals: true,
  lastVerifiedAt: '2026-11-02',
};
