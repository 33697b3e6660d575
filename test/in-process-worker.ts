import type { Actor, Database } from '@parcours/db';
import { createReferral, type EngineClock, openCase, sendCaseEvent, sendReferralEvent } from '@parcours/engine';
import { createLogger } from '@parcours/observability';
import { type createFixtureTerritory, createTestDatabase, type TestDatabase } from '@parcours/testing';
import { createWorker, type ParcoursWorker } from '@parcours/worker';
import { afterAll, beforeAll } from 'vitest';
import { ShiftedClock, startSmtpServer } from '../services/worker/test/support.ts';

export interface InProcessWorkerWorld {
  readonly clock: ShiftedClock;
  readonly publicUrl: string;
  /** The file's test database (its owner connection: fixtures are written through it). */
  database: TestDatabase;
  smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  /** Starts the worker on the in-process runner, connected as the services are in production. */
  startWorker(): Promise<ParcoursWorker>;
  stopWorker(): Promise<void>;
}

/**
 * What the cross-service worker tests share: one test database, one SMTP catcher and a worker on the
 * in-process runner with short intervals, registered for the calling file's beforeAll/afterAll.
 */
export function useInProcessWorker(): InProcessWorkerWorld {
  let worker: ParcoursWorker | null = null;
  const world: InProcessWorkerWorld = {
    clock: new ShiftedClock(),
    publicUrl: 'https://parcours.example.test',
    database: undefined as unknown as TestDatabase,
    smtp: undefined as unknown as InProcessWorkerWorld['smtp'],
    async startWorker() {
      worker = createWorker({
        // As in production: a non-owner role under row-level security.
        db: (await world.database.connectAsService()).db,
        logger: createLogger({ name: 'worker-test' }),
        redisUrl: null,
        mail: { smtpUrl: world.smtp.url, from: 'Parcours <parcours@example.test>' },
        publicUrl: world.publicUrl,
        clock: world.clock,
        relayIntervalMs: 20,
        sweepIntervalMs: 100,
        retryDelayMs: 2,
      });
      await worker.start();
      return worker;
    },
    async stopWorker() {
      await worker?.stop();
      worker = null;
    },
  };
  beforeAll(async () => {
    world.database = await createTestDatabase();
    world.smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await world.stopWorker();
    await world.smtp?.close();
    await world.database?.close();
  });
  return world;
}

type Fixture = Awaited<ReturnType<typeof createFixtureTerritory>>;

/** A case of the fixture's person, assessed, and a referral to the fixture's partner: sent. */
export async function sentReferralOf(db: Database, fixture: Fixture, clock: EngineClock, purpose: 'housing' | 'rights_opening') {
  const agent: Actor = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };
  const opened = await openCase(
    db,
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
  const started = await sendCaseEvent(
    db,
    { caseId: opened.id, event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 },
    { actor: agent, clock },
  );
  await sendCaseEvent(
    db,
    { caseId: opened.id, event: { type: 'COMPLETE_ASSESSMENT' }, expectedRevision: started.revision },
    { actor: agent, clock },
  );
  const draft = await createReferral(
    db,
    {
      caseId: opened.id,
      fromOrganisationId: fixture.entryOrganisationId,
      toOrganisationId: fixture.partnerOrganisationId,
      purpose,
      sharedCategories: ['identity'],
    },
    { actor: agent, clock },
  );
  await sendReferralEvent(db, { referralId: draft.id, event: { type: 'SEND' }, expectedRevision: 0 }, { actor: agent, clock });
  return { caseId: opened.id, referralId: draft.id };
}
