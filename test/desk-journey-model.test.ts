/**
 * Model-based test of the journey through the desk's HTTP API. @xstate/graph walks the journey
 * machine: the shortest path to every state, then every state-changing transition out of each state.
 * Each path is replayed on a fresh case, and after every step the persisted state (the API's answer
 * and the `cases` row) must be the model's.
 *
 * How each kind of model event happens for real:
 * - agent events go through POST /api/v1/cases/{id}/events, with the revision last read;
 * - REFERRAL_SENT / REFERRAL_CLOSED come from a referral the engine creates and moves (the referral
 *   HTTP API is a later issue): sent, accepted and completed, declined, or left to expire;
 * - deadlines (a referral's expiry, a suspended case's lost-contact closure) are the timer sweep's
 *   work: the injected clock moves to the timer's due date and the worker's own `sweepTimers` runs.
 *   There is no test-only route.
 */
import { type Actor, cases, caseTimers } from '@parcours/db';
import { createApp } from '@parcours/desk';
import { createReferral, getReferralView, sendReferralEvent } from '@parcours/engine';
import { type JourneyEvent, journeyMachine, journeySampleEvents, sampleReferralIds, statePathOf } from '@parcours/journey';
import { createLogger } from '@parcours/observability';
import {
  createFixtureTerritory,
  createTestDatabase,
  type FixtureTerritory,
  ManualClock,
  type TestDatabase,
} from '@parcours/testing';
import { type JobQueue, sweepTimers } from '@parcours/worker';
import { getShortestPaths } from '@xstate/graph';
import argon2 from 'argon2';
import { and, eq } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTransition, type SnapshotFrom, transition } from 'xstate';

type JourneySnapshot = SnapshotFrom<typeof journeyMachine>;
type ModelEvent = JourneyEvent | { type: typeof lostContactClosure };
interface ModelStep {
  event: ModelEvent;
  state: JourneySnapshot;
}

const lostContactClosure = 'xstate.after.lostContactClosure.journey.suspended';

/**
 * The events a person or the clock can really cause from this snapshot: a referral is sent once, and
 * closed only while in flight; the second referral is the one left to expire. With the default
 * delays, a referral in flight expires (22 working days) before a suspended case closes for lost
 * contact (43), and the sweep fires both in that order; so the model closes for lost contact only
 * once no referral is in flight.
 */
function realisableEvents(snapshot: JourneySnapshot): ModelEvent[] {
  const { activeReferralIds, completedReferralIds, failedReferralIds } = snapshot.context;
  const used = new Set([...activeReferralIds, ...completedReferralIds, ...failedReferralIds]);
  const referralEvents = journeySampleEvents.filter((event) => {
    if (event.type === 'REFERRAL_SENT') return !used.has(event.referralId);
    // Deadlines run in send order: only the oldest referral in flight can be the next to expire.
    if (event.type === 'REFERRAL_CLOSED' && event.status === 'expired') return activeReferralIds[0] === event.referralId;
    if (event.type === 'REFERRAL_CLOSED') return activeReferralIds.includes(event.referralId);
    return true;
  });
  return activeReferralIds.length === 0 ? [...referralEvents, { type: lostContactClosure }] : referralEvents;
}

/** A state is its configuration, plus where a suspended case resumes and why a closed one closed. */
function keyOf(snapshot: JourneySnapshot): string {
  const path = statePathOf(snapshot.value);
  if (path === 'suspended') return `${path}@${snapshot.context.resumeStage}`;
  if (path === 'closed') return `${path}:${snapshot.context.closureReason}`;
  return path;
}

/**
 * The graph keeps one representative snapshot per key, whose context may come from another path; so
 * the states along a path are recomputed by replaying its events on the machine.
 */
function replay(events: ModelEvent[]): ModelStep[] {
  let [state] = initialTransition(journeyMachine);
  return events.map((event) => {
    [state] = transition(journeyMachine, state, event as never);
    return { event, state };
  });
}

function modelPaths(): Array<{ name: string; steps: ModelStep[] }> {
  const toStates = getShortestPaths(journeyMachine, {
    events: (snapshot) => realisableEvents(snapshot) as never,
    serializeState: (snapshot) => keyOf(snapshot as JourneySnapshot),
  });
  const paths: Array<{ name: string; steps: ModelStep[] }> = [];
  for (const toState of toStates) {
    const prefix = replay(
      toState.steps.map((step) => step.event as { type: string }).filter((event) => event.type !== 'xstate.init') as ModelEvent[],
    );
    const from = prefix.at(-1)?.state ?? initialTransition(journeyMachine)[0];
    paths.push({ name: `reach ${keyOf(from)}`, steps: prefix });
    if (from.status !== 'active') continue;
    for (const event of realisableEvents(from)) {
      const [next] = transition(journeyMachine, from, event as never);
      const movesReferrals = event.type.startsWith('REFERRAL_') && next.context !== from.context;
      if (keyOf(next) === keyOf(from) && !movesReferrals) continue;
      const steps = [...prefix, { event, state: next }];
      paths.push({ name: `${keyOf(from)} --${labelOf(event)}--> ${keyOf(next)}`, steps });
      // Every way a referral in flight can end (completed, declined, expired by the sweep), after it was sent.
      if (event.type !== 'REFERRAL_SENT') continue;
      for (const closing of realisableEvents(next).filter((candidate) => candidate.type === 'REFERRAL_CLOSED')) {
        const [closed] = transition(journeyMachine, next, closing as never);
        paths.push({
          name: `${keyOf(from)} --${labelOf(event)}--> ${keyOf(next)} --${labelOf(closing)}--> ${keyOf(closed)}`,
          steps: [...steps, { event: closing, state: closed }],
        });
      }
    }
  }
  return paths;
}

function labelOf(event: ModelEvent): string {
  if (event.type === 'REFERRAL_SENT')
    return `REFERRAL_SENT(${event.referralId === sampleReferralIds.first ? 'first' : 'second'})`;
  if (event.type === 'REFERRAL_CLOSED')
    return `REFERRAL_CLOSED(${event.referralId === sampleReferralIds.first ? 'first' : 'second'}, ${event.status})`;
  return event.type === lostContactClosure ? 'lostContactClosure deadline' : event.type;
}

const paths = modelPaths();

describe('journey model through the desk API', () => {
  let database: TestDatabase;
  let fixture: FixtureTerritory;
  let app: Express;
  let client: TestAgent;
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  const password = 'model-based walk of the journey';
  let agent: Actor;
  let partner: Actor;

  beforeAll(async () => {
    database = await createTestDatabase();
    fixture = await createFixtureTerritory(database.db);
    const { agents } = await import('@parcours/db');
    await database.db
      .update(agents)
      .set({ passwordHash: await argon2.hash(password) })
      .where(eq(agents.id, fixture.agentId));
    agent = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };
    partner = { kind: 'agent', id: fixture.partnerAgentId, organisationId: fixture.partnerOrganisationId };
    app = createApp({
      // As in production: a non-owner role under row-level security.
      db: (await database.connectAsService()).db,
      logger: createLogger({ name: 'desk-model' }),
      sessionSecret: 'model-based test secret, long enough',
      clock,
    });
    client = request.agent(app);
    await client
      .post('/api/v1/auth/login')
      .send({ email: `accueil-${fixture.territoryId}@example.test`, password })
      .expect(200);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('covers every state of the journey machine', () => {
    const reached = new Set(
      paths.map((path) => statePathOf((path.steps.at(-1)?.state ?? initialTransition(journeyMachine)[0]).value)),
    );
    const leaves = journeyMachine.root.states;
    const expected = Object.entries(leaves).flatMap(([name, node]) =>
      Object.keys(node.states).length > 0 ? Object.keys(node.states).map((child) => `${name}.${child}`) : [name],
    );
    expect([...reached].sort()).toEqual(expected.sort());
    expect(paths.some((path) => path.steps.some((step) => step.event.type === lostContactClosure))).toBe(true);
  });

  const silentLogger = createLogger({ name: 'model-sweep', level: 'silent' });

  /**
   * The worker's own sweep (`sweepTimers`), run until it fires nothing more: firing a deadline may make the next
   * one due at once (a suspended case's lost-contact closure). Without look-ahead it schedules nothing.
   */
  async function sweep(): Promise<void> {
    const jobs: JobQueue = {
      enqueue: async () => {
        throw new Error('the sweep scheduled a delivery without look-ahead');
      },
      enqueueUnchecked: async () => {},
      remove: async () => {},
    };
    while ((await sweepTimers({ db: database.db, jobs, clock, logger: silentLogger, lookAheadMs: 0 })).fired > 0) {
      // Fired something: what it armed may be due too.
    }
  }

  /** Moves the clock to a timer's due date and sweeps. */
  async function letTimerFire(subjectId: string, delayName: string): Promise<void> {
    const [timer] = await database.db
      .select()
      .from(caseTimers)
      .where(and(eq(caseTimers.subjectId, subjectId), eq(caseTimers.delayName, delayName), eq(caseTimers.status, 'armed')));
    if (!timer) throw new Error(`no armed ${delayName} timer for ${subjectId}`);
    if (timer.dueAt > clock.now()) clock.set(timer.dueAt);
    await sweep();
  }

  async function moveReferral(referralId: string, events: Array<Record<string, unknown> & { type: string }>): Promise<void> {
    for (const event of events) {
      const view = await getReferralView(database.db, referralId);
      await sendReferralEvent(
        database.db,
        { referralId, event, expectedRevision: view?.revision ?? -1 },
        { actor: partner, clock },
      );
    }
  }

  async function perform(caseId: string, event: ModelEvent, referrals: Map<string, string>): Promise<void> {
    switch (event.type) {
      case lostContactClosure:
        return letTimerFire(caseId, 'lostContactClosure');
      case 'REFERRAL_SENT': {
        const referral = await createReferral(
          database.db,
          {
            caseId,
            fromOrganisationId: fixture.entryOrganisationId,
            toOrganisationId: fixture.partnerOrganisationId,
            purpose: 'rights_opening',
            sharedCategories: ['identity', 'situation_summary'],
          },
          { actor: agent, clock },
        );
        referrals.set(event.referralId, referral.id);
        await sendReferralEvent(
          database.db,
          { referralId: referral.id, event: { type: 'SEND' }, expectedRevision: 0 },
          { actor: agent, clock },
        );
        return;
      }
      case 'REFERRAL_CLOSED': {
        const referralId = referrals.get(event.referralId);
        if (!referralId) throw new Error(`referral ${event.referralId} was never sent`);
        if (event.status === 'completed') {
          return moveReferral(referralId, [
            { type: 'ACCEPT' },
            { type: 'START_SUPPORT' },
            { type: 'COMPLETE', outcome: event.outcome ?? 'need_met' },
          ]);
        }
        if (event.status === 'declined') return moveReferral(referralId, [{ type: 'DECLINE', reason: 'service_full' }]);
        if (event.status === 'expired') return letTimerFire(referralId, 'referralExpiry');
        throw new Error(`no way to close a referral as ${event.status}`);
      }
      default: {
        const current = await client.get(`/api/v1/cases/${caseId}`).expect(200);
        const sent = await client.post(`/api/v1/cases/${caseId}/events`).send({ event, expectedRevision: current.body.revision });
        expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      }
    }
  }

  for (const path of paths) {
    it(`when driven over HTTP, then the persisted journey follows the model: ${path.name}`, async () => {
      const opened = await client
        .post('/api/v1/cases')
        .send({
          channel: 'physical',
          expressedRequest: 'Parcours modèle',
          members: [{ personId: fixture.personId, role: 'primary' }],
        })
        .expect(201);
      const caseId = opened.body.id as string;
      const referrals = new Map<string, string>();
      let revision = opened.body.revision as number;
      for (const step of path.steps) {
        await perform(caseId, step.event, referrals);
        const expectedPath = statePathOf(step.state.value);
        const read = await client.get(`/api/v1/cases/${caseId}`).expect(200);
        expect(read.body, `after ${step.event.type}`).toMatchObject({
          state: expectedPath,
          closed: step.state.status === 'done',
        });
        expect(read.body.revision).toBeGreaterThan(revision);
        revision = read.body.revision;
        const [row] = await database.db.select().from(cases).where(eq(cases.id, caseId));
        expect(row?.stateValue).toEqual(step.state.value);
        expect(row?.revision).toBe(revision);
        if (step.state.status === 'done') expect(row?.closureReason).toBe(step.state.context.closureReason);
        expect((row?.snapshot as { context: unknown }).context).toMatchObject({
          resumeStage: step.state.context.resumeStage,
          reorientations: step.state.context.reorientations,
          activeReferralIds: step.state.context.activeReferralIds.map((sampleId) => referrals.get(sampleId)),
        });
      }
    });
  }
});
