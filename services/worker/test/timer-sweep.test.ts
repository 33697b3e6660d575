/**
 * The timer sweep itself (`sweepTimers`), called directly with a manual clock: it fires every due timer once, in
 * batches; a timer that cannot be fired is logged and does not hold the others; it schedules the deliveries due
 * before the next sweep (job id of the arming, delay from now) and no later ones. The queue it schedules on records
 * what it is given: the rows in PostgreSQL are the truth the test reads.
 */
import { Writable } from 'node:stream';
import { type Actor, caseEvents, cases, caseTimers } from '@parcours/db';
import { openCase } from '@parcours/engine';
import { type JobName, timerDeliveryJobId } from '@parcours/jobs';
import { createLogger } from '@parcours/observability';
import {
  createFixtureTerritory,
  createTestDatabase,
  type FixtureTerritory,
  ManualClock,
  type TestDatabase,
} from '@parcours/testing';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobQueue } from '../src/jobs/job-queue.ts';
import { sweepTimers } from '../src/timer.sweep.ts';

let database: TestDatabase;
let fixture: FixtureTerritory;
let agent: Actor;
const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));

/** What the sweep asked the queue to schedule. */
function recordingQueue() {
  const scheduled: Array<{ name: JobName; payload: unknown; jobId: string | undefined; delayMs: number | undefined }> = [];
  const queue: JobQueue = {
    enqueue: async (name, payload, options) => {
      scheduled.push({ name, payload, jobId: options.jobId, delayMs: options.delayMs });
    },
    enqueueUnchecked: async (name, payload, options) => {
      scheduled.push({ name, payload, jobId: options.jobId, delayMs: options.delayMs });
    },
    remove: async () => {},
  };
  return { queue, scheduled };
}

/** The sweep's log lines, as JSON. */
function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ name: 'sweep-test', level: 'info' }, stream), lines };
}

/** Opens a case now: the engine arms its reception deadline (five working days). Returns its timer row. */
async function caseWithDeadline() {
  const opened = await openCase(
    database.db,
    {
      territoryId: fixture.territoryId,
      entryOrganisationId: fixture.entryOrganisationId,
      channel: 'physical',
      expressedRequest: 'Demande pour le balayage des échéances',
      members: [{ personId: fixture.personId, role: 'primary' }],
    },
    { actor: agent, clock },
  );
  const [timer] = await database.db.select().from(caseTimers).where(eq(caseTimers.caseId, opened.id));
  if (!timer) throw new Error('opening a case armed no deadline');
  return { caseId: opened.id, timer };
}

const statusesOf = async (ids: string[]) =>
  (await database.db.select({ id: caseTimers.id, status: caseTimers.status }).from(caseTimers).where(inArray(caseTimers.id, ids)))
    .map((row) => row.status)
    .sort();

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  clock.set('2026-03-02T09:00:00Z');
  fixture = await createFixtureTerritory(database.db);
  agent = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };
});

describe('the timer sweep', () => {
  it('when more timers are due than a batch holds, then every one fires once, and a second sweep fires none', async () => {
    const opened = await Promise.all(Array.from({ length: 7 }, () => caseWithDeadline()));
    const ids = opened.map(({ timer }) => timer.id);
    clock.set(new Date(Math.max(...opened.map(({ timer }) => timer.dueAt.getTime())) + 60_000));
    const { queue, scheduled } = recordingQueue();
    const { logger } = capturedLogger();

    expect(await sweepTimers({ db: database.db, jobs: queue, clock, logger, lookAheadMs: 0, batchSize: 3 })).toEqual({
      fired: 7,
      scheduled: 0,
    });
    expect(await statusesOf(ids)).toEqual(Array(7).fill('fired'));
    expect(await sweepTimers({ db: database.db, jobs: queue, clock, logger, lookAheadMs: 0, batchSize: 3 })).toEqual({
      fired: 0,
      scheduled: 0,
    });
    // Each case's log holds its deadline once (the event is named after the timer).
    const events = await database.db
      .select({ caseId: caseEvents.caseId })
      .from(caseEvents)
      .where(
        and(
          inArray(
            caseEvents.caseId,
            opened.map(({ caseId }) => caseId),
          ),
          inArray(caseEvents.eventType, [...new Set(opened.map(({ timer }) => timer.timerId))]),
        ),
      );
    expect(events.map((event) => event.caseId).sort()).toEqual(opened.map(({ caseId }) => caseId).sort());
    expect(scheduled).toEqual([]);
  });

  it('when one due timer cannot be fired, then it is logged and stays armed, and the others still fire', async () => {
    const broken = await caseWithDeadline();
    clock.set('2026-03-02T10:00:00Z');
    const others = await Promise.all(Array.from({ length: 3 }, () => caseWithDeadline()));
    // A case on a machine version that does not exist: firing its deadline throws.
    await database.db.update(cases).set({ machineVersion: 999 }).where(eq(cases.id, broken.caseId));
    clock.set(new Date(Math.max(...others.map(({ timer }) => timer.dueAt.getTime())) + 60_000));
    const { queue } = recordingQueue();
    const { logger, lines } = capturedLogger();

    const swept = await sweepTimers({ db: database.db, jobs: queue, clock, logger, lookAheadMs: 0, batchSize: 2 });
    expect(swept.fired).toBe(3);
    expect(await statusesOf(others.map(({ timer }) => timer.id))).toEqual(['fired', 'fired', 'fired']);
    expect(await statusesOf([broken.timer.id])).toEqual(['armed']);
    const failures = lines.filter((line) => line.msg === 'sweep could not fire timer');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((line) => line.timerRowId === broken.timer.id)).toBe(true);
    // The next round tries it again, and still fires nothing else twice.
    expect((await sweepTimers({ db: database.db, jobs: queue, clock, logger, lookAheadMs: 0, batchSize: 2 })).fired).toBe(0);
  });

  it('when deadlines fall before the next sweep, then their deliveries are scheduled under the arming’s job id, and later ones are not', async () => {
    // Weeks after the other tests' deadlines (one of them is left armed on purpose).
    clock.set('2026-04-13T09:00:00Z');
    const soon = await caseWithDeadline();
    clock.set('2026-04-14T09:00:00Z');
    const later = await caseWithDeadline();
    // Half an hour before the first deadline; the second is a day later.
    clock.set(new Date(soon.timer.dueAt.getTime() - 30 * 60_000));
    const { queue, scheduled } = recordingQueue();
    const { logger } = capturedLogger();

    const swept = await sweepTimers({ db: database.db, jobs: queue, clock, logger, lookAheadMs: 60 * 60_000 });
    expect(swept).toEqual({ fired: 0, scheduled: 1 });
    const delivery = { timerRowId: soon.timer.id, armedRevision: soon.timer.armedRevision };
    expect(scheduled).toEqual([
      { name: 'timer.deliver', payload: delivery, jobId: timerDeliveryJobId(delivery), delayMs: 30 * 60_000 },
    ]);
    expect(later.timer.dueAt.getTime() - clock.now().getTime()).toBeGreaterThan(60 * 60_000);
    expect(await statusesOf([soon.timer.id, later.timer.id])).toEqual(['armed', 'armed']);
  });
});
