import { caseEvents } from '@parcours/db';
import { createFixtureTerritory, createTestDatabase, databaseTarget, ManualClock, type TestDatabase } from '@parcours/testing';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, openCase, sendCaseEvent } from '../src/index.ts';

const target = databaseTarget();

// Concurrency needs a real server: PGlite serialises connections, so it would prove nothing.
describe.skipIf(target.backend !== 'postgres')(
  `engine concurrency on PostgreSQL${target.fallbackReason ? ` (skipped: ${target.fallbackReason})` : ''}`,
  () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase({ backend: 'postgres', maxConnections: 25 });
    });
    afterAll(async () => {
      await database?.close();
    });

    it('when 50 events race on one case with the same expected revision, then exactly one wins and the log stays linear', async () => {
      const fixture = await createFixtureTerritory(database.db);
      const actor = { kind: 'agent' as const, id: fixture.agentId, organisationId: fixture.entryOrganisationId };
      const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
      const opened = await openCase(
        database.db,
        {
          territoryId: fixture.territoryId,
          entryOrganisationId: fixture.entryOrganisationId,
          channel: 'phone',
          expressedRequest: 'Demande de RSA',
          members: [{ personId: fixture.personId, role: 'primary' }],
        },
        { actor, clock },
      );
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, index) =>
          sendCaseEvent(
            database.db,
            // Half try one event, half another: whichever wins, the others must see a conflict.
            {
              caseId: opened.id,
              event: index % 2 === 0 ? { type: 'START_ASSESSMENT' } : { type: 'SUSPEND', reason: 'person_request' },
              expectedRevision: 0,
            },
            { actor, clock },
          ),
        ),
      );
      const fulfilled = results.filter((result) => result.status === 'fulfilled');
      const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(49);
      for (const failure of rejected) {
        expect(failure.reason).toBeInstanceOf(EngineError);
        expect((failure.reason as EngineError).code).toBe('revision_conflict');
      }
      const log = await database.db
        .select()
        .from(caseEvents)
        .where(and(eq(caseEvents.caseId, opened.id), isNull(caseEvents.referralId)))
        .orderBy(asc(caseEvents.sequence));
      expect(log.map((event) => event.revision)).toEqual([0, 1]);
      expect(log[1]?.fromState).toBe(log[0]?.toState);
    });
  },
);
