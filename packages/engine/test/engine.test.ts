import {
  type Actor,
  auditEvents,
  caseEvents,
  cases,
  caseTimers,
  outbox,
  referenceCodes,
  referrals,
  territories,
} from '@parcours/db';

import {
  availableBackends,
  createFixtureTerritory,
  createTestDatabase,
  type FixtureTerritory,
  ManualClock,
  type TestDatabase,
} from '@parcours/testing';
import { referenceCodeLists } from '@parcours/vocabulary';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  createReferral,
  EngineError,
  fireTimer,
  listDueTimers,
  openCase,
  sendCaseEvent,
  sendReferralEvent,
} from '../src/index.ts';

async function engineError(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected the engine to refuse');
}

describe.each(availableBackends())('engine on %s', (backend) => {
  let database: TestDatabase;
  let fixture: FixtureTerritory;
  let agent: Actor;
  let partner: Actor;
  // Monday 2 March 2026, 10:00 in Paris: no public holiday within the next weeks but Easter Monday (6 April).
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));

  beforeAll(async () => {
    database = await createTestDatabase({ backend });
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    clock.set('2026-03-02T09:00:00Z');
    fixture = await createFixtureTerritory(database.db, { delays: { referralReminder: 3 } });
    agent = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };
    partner = { kind: 'agent', id: fixture.partnerAgentId, organisationId: fixture.partnerOrganisationId };
  });

  const open = () =>
    openCase(
      database.db,
      {
        territoryId: fixture.territoryId,
        entryOrganisationId: fixture.entryOrganisationId,
        channel: 'physical',
        expressedRequest: 'Je n’arrive plus à payer mon loyer',
        members: [{ personId: fixture.personId, role: 'primary' }],
      },
      { actor: agent, clock },
    );

  const eventsOf = (caseId: string) =>
    database.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.sequence));
  const timersOf = (subjectId: string) => database.db.select().from(caseTimers).where(eq(caseTimers.subjectId, subjectId));

  it('when a case is opened, then it starts at reception, logs the opening and arms the reception deadline', async () => {
    const view = await open();
    expect(view).toMatchObject({ stage: 'reception', state: 'active.reception', revision: 0, closed: false });
    expect(view.allowedEvents).toEqual(['CLOSE', 'START_ASSESSMENT', 'SUSPEND']);
    const events = await eventsOf(view.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventType: 'OPEN',
      fromState: '',
      toState: 'active.reception',
      revision: 0,
      actorKind: 'agent',
    });
    const timers = await timersOf(view.id);
    expect(timers).toHaveLength(1);
    expect(timers[0]).toMatchObject({ delayName: 'receptionDue', status: 'armed', armedRevision: 0 });
    // Five working days after Monday 2 March at 10:00 Paris: Monday 9 March at 10:00 Paris.
    expect(timers[0]?.dueAt.toISOString()).toBe('2026-03-09T09:00:00.000Z');
    const jobs = await database.db.select().from(outbox).where(eq(outbox.jobName, 'timer.armed'));
    expect(jobs.some((job) => (job.payload as { timerRowId: string }).timerRowId === timers[0]?.id)).toBe(true);
  });

  it('when an agent moves the case, then the state, revision, event, timers, outbox and audit change together', async () => {
    const opened = await open();
    const moved = await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    expect(moved).toMatchObject({ stage: 'assessment', revision: 1 });
    const [row] = await database.db.select().from(cases).where(eq(cases.id, opened.id));
    expect(row).toMatchObject({ stage: 'assessment', revision: 1 });
    const events = await eventsOf(opened.id);
    expect(events.map((event) => [event.eventType, event.fromState, event.toState, event.revision])).toEqual([
      ['OPEN', '', 'active.reception', 0],
      ['START_ASSESSMENT', 'active.reception', 'active.assessment', 1],
    ]);
    const timers = await timersOf(opened.id);
    expect(Object.fromEntries(timers.map((timer) => [timer.delayName, timer.status]))).toEqual({
      receptionDue: 'cancelled',
      assessmentDue: 'armed',
    });
    const audit = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.transition'));
    expect(audit.filter((entry) => entry.subjectIds.includes(opened.id))).toHaveLength(2);
  });

  it('when the expected revision is stale, then it is a conflict and nothing is written', async () => {
    const opened = await open();
    await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    const before = await eventsOf(opened.id);
    const error = await engineError(
      sendCaseEvent(
        database.db,
        { caseId: opened.id, event: { type: 'COMPLETE_ASSESSMENT' }, expectedRevision: 0 },
        { actor: agent, clock },
      ),
    );
    expect(error.code).toBe('revision_conflict');
    expect(error.details).toMatchObject({ currentRevision: 1, expectedRevision: 0 });
    expect(await eventsOf(opened.id)).toEqual(before);
  });

  it('when the event is not allowed at this stage, then it is refused with the allowed events, distinct from a conflict', async () => {
    const opened = await open();
    const error = await engineError(
      sendCaseEvent(
        database.db,
        { caseId: opened.id, event: { type: 'COMPLETE_ASSESSMENT' }, expectedRevision: 0 },
        { actor: agent, clock },
      ),
    );
    expect(error.code).toBe('event_not_allowed');
    expect(error.details.allowedEvents).toEqual(['CLOSE', 'START_ASSESSMENT', 'SUSPEND']);
    expect(await eventsOf(opened.id)).toHaveLength(1);
  });

  it('when the event is malformed or engine-only, then it is invalid', async () => {
    const opened = await open();
    for (const event of [{ type: 'CLOSE', reason: 'because' }, { type: 'REFERRAL_SENT', referralId: opened.id }, { nope: 1 }]) {
      const error = await engineError(
        sendCaseEvent(database.db, { caseId: opened.id, event, expectedRevision: 0 }, { actor: agent, clock }),
      );
      expect(error.code).toBe('invalid_event');
    }
  });

  it('when the case does not exist, then it is not found', async () => {
    const error = await engineError(
      sendCaseEvent(
        database.db,
        { caseId: '00000000-0000-4000-8000-000000000000', event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 },
        { actor: agent, clock },
      ),
    );
    expect(error.code).toBe('case_not_found');
  });

  it('when a deadline is due, then the timer fires once, its effect goes to the outbox and a second delivery is stale', async () => {
    const opened = await open();
    const [timer] = await timersOf(opened.id);
    if (!timer) throw new Error('no timer');
    expect(await fireTimer(database.db, { timerRowId: timer.id, armedRevision: 0 }, { clock })).toBe('not_due');
    clock.set('2026-03-09T09:00:00Z');
    expect(await listDueTimers(database.db, clock.now())).toContainEqual({ timerRowId: timer.id, armedRevision: 0 });
    expect(await fireTimer(database.db, { timerRowId: timer.id, armedRevision: 0 }, { clock })).toBe('fired');
    expect(await fireTimer(database.db, { timerRowId: timer.id, armedRevision: 0 }, { clock })).toBe('stale');
    const effects = await database.db.select().from(outbox).where(eq(outbox.jobName, 'effect.notifyDeadlinePassed'));
    const mine = effects.filter((row) => (row.payload as { caseId: string }).caseId === opened.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.payload).toMatchObject({ caseId: opened.id, revision: 1, params: { stage: 'reception' } });
    const events = await eventsOf(opened.id);
    expect(events.at(-1)).toMatchObject({
      actorKind: 'system',
      fromState: 'active.reception',
      toState: 'active.reception',
      revision: 1,
    });
  });

  it('when a deadline was cancelled, then it never fires', async () => {
    const opened = await open();
    const [timer] = await timersOf(opened.id);
    await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    clock.set('2026-04-30T09:00:00Z');
    expect(await fireTimer(database.db, { timerRowId: timer?.id as string, armedRevision: 0 }, { clock })).toBe('stale');
    expect((await eventsOf(opened.id)).map((event) => event.eventType)).toEqual(['OPEN', 'START_ASSESSMENT']);
  });

  it('when a deadline is re-armed, then the old arming is stale and the new one fires once at the new time', async () => {
    const opened = await open();
    await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'SUSPEND', reason: 'person_request' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    clock.set('2026-03-04T09:00:00Z');
    await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'RESUME' }, expectedRevision: 1 },
      { actor: agent, clock },
    );
    const [timer] = (await timersOf(opened.id)).filter((row) => row.delayName === 'receptionDue');
    expect(timer).toMatchObject({ status: 'armed', armedRevision: 2 });
    expect(timer?.dueAt.toISOString()).toBe('2026-03-11T09:00:00.000Z');
    clock.set('2026-03-09T09:30:00Z');
    expect(await fireTimer(database.db, { timerRowId: timer?.id as string, armedRevision: 0 }, { clock })).toBe('stale');
    expect(await fireTimer(database.db, { timerRowId: timer?.id as string, armedRevision: 2 }, { clock })).toBe('not_due');
    clock.set('2026-03-11T09:00:00Z');
    expect(await fireTimer(database.db, { timerRowId: timer?.id as string, armedRevision: 2 }, { clock })).toBe('fired');
    expect(await fireTimer(database.db, { timerRowId: timer?.id as string, armedRevision: 2 }, { clock })).toBe('stale');
  });

  it('when a suspended case reaches its lost-contact deadline, then the timer closes it', async () => {
    const opened = await open();
    await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'SUSPEND', reason: 'lost_contact' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    const [timer] = (await timersOf(opened.id)).filter((row) => row.delayName === 'lostContactClosure');
    clock.set(timer?.dueAt as Date);
    expect(await fireTimer(database.db, { timerRowId: timer?.id as string, armedRevision: 1 }, { clock })).toBe('fired');
    const [row] = await database.db.select().from(cases).where(eq(cases.id, opened.id));
    expect(row).toMatchObject({ stage: 'closed', closureReason: 'lost_contact', revision: 2 });
    expect(row?.closedAt).not.toBeNull();
  });

  async function caseInOrientation() {
    const opened = await open();
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
    return view;
  }

  const draftReferral = (caseId: string) =>
    createReferral(
      database.db,
      {
        caseId,
        fromOrganisationId: fixture.entryOrganisationId,
        toOrganisationId: fixture.partnerOrganisationId,
        purpose: 'rights_opening',
        sharedCategories: ['identity', 'contact', 'situation_summary'],
      },
      { actor: agent, clock },
    );

  it('when the territory keeps Alsace-Moselle’s holidays, then a referral’s deadline skips Good Friday as well as Easter Monday', async () => {
    await database.db
      .update(territories)
      .set({ settings: { delays: { referralReminder: 3 }, calendar: { alsaceMoselle: true } } })
      .where(eq(territories.id, fixture.territoryId));
    const oriented = await caseInOrientation();
    const draft = await draftReferral(oriented.id);
    // Wednesday 1 April 2026, 10:00 in Paris: Thursday 2, (Good Friday 3), (weekend), (Easter Monday 6), Tuesday 7,
    // Wednesday 8. Nationally the third working day would be Tuesday 7.
    clock.set('2026-04-01T08:00:00Z');
    await sendReferralEvent(
      database.db,
      { referralId: draft.id, event: { type: 'SEND' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    const reminder = (await timersOf(draft.id)).find((timer) => timer.delayName === 'referralReminder');
    expect(reminder?.dueAt.toISOString()).toBe('2026-04-08T08:00:00.000Z');
  });

  it('when a referral is sent then declined, then the journey follows up and is re-oriented, in the same transactions', async () => {
    const oriented = await caseInOrientation();
    const draft = await draftReferral(oriented.id);
    expect(draft).toMatchObject({ status: 'draft', revision: 0, allowedEvents: ['CANCEL', 'SEND'] });
    const sent = await sendReferralEvent(
      database.db,
      { referralId: draft.id, event: { type: 'SEND' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    expect(sent.status).toBe('sent');
    let [row] = await database.db.select().from(cases).where(eq(cases.id, oriented.id));
    expect(row).toMatchObject({ stage: 'followUp', revision: oriented.revision + 1 });
    // The reminder follows the territory's setting (3 working days), not the default.
    const reminder = (await timersOf(draft.id)).find((timer) => timer.delayName === 'referralReminder');
    expect(reminder?.dueAt.toISOString()).toBe(addWorkingDays(clock.now(), 3).toISOString());

    await sendReferralEvent(
      database.db,
      { referralId: draft.id, event: { type: 'MARK_SEEN' }, expectedRevision: 1 },
      { actor: partner, clock },
    );
    const declined = await sendReferralEvent(
      database.db,
      { referralId: draft.id, event: { type: 'DECLINE', reason: 'not_eligible' }, expectedRevision: 2 },
      { actor: partner, clock },
    );
    expect(declined).toMatchObject({ status: 'declined', allowedEvents: [] });
    [row] = await database.db.select().from(cases).where(eq(cases.id, oriented.id));
    expect(row).toMatchObject({ stage: 'orientation', revision: oriented.revision + 2 });
    expect((row?.snapshot as { context: { reorientations: number } }).context.reorientations).toBe(1);
    const referralTimers = await timersOf(draft.id);
    expect(referralTimers.every((timer) => timer.status === 'cancelled')).toBe(true);
    const journeyEvents = await database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, oriented.id), isNull(caseEvents.referralId)))
      .orderBy(asc(caseEvents.sequence));
    expect(journeyEvents.slice(-2).map((event) => [event.eventType, event.actorOrganisationId])).toEqual([
      ['REFERRAL_SENT', fixture.entryOrganisationId],
      ['REFERRAL_CLOSED', fixture.partnerOrganisationId],
    ]);
    const referralEvents = await database.db
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.referralId, draft.id))
      .orderBy(asc(caseEvents.sequence));
    expect(referralEvents.map((event) => event.revision)).toEqual([0, 1, 2, 3]);
  });

  it('when a referral goes unanswered, then it is reminded, escalated, then expires and the case returns to orientation', async () => {
    const oriented = await caseInOrientation();
    const draft = await draftReferral(oriented.id);
    await sendReferralEvent(
      database.db,
      { referralId: draft.id, event: { type: 'SEND' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    clock.set('2026-06-30T09:00:00Z');
    const due = await listDueTimers(database.db, clock.now());
    const mine = (await timersOf(draft.id)).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    expect(mine.map((timer) => timer.delayName)).toEqual(['referralReminder', 'referralEscalation', 'referralExpiry']);
    for (const timer of mine) {
      expect(due).toContainEqual({ timerRowId: timer.id, armedRevision: timer.armedRevision });
      expect(await fireTimer(database.db, { timerRowId: timer.id, armedRevision: timer.armedRevision }, { clock })).toBe('fired');
    }
    const [referral] = await database.db.select().from(referrals).where(eq(referrals.id, draft.id));
    expect(referral?.status).toBe('expired');
    const [row] = await database.db.select().from(cases).where(eq(cases.id, oriented.id));
    expect(row?.stage).toBe('orientation');
    const effects = await database.db.select().from(outbox);
    const names = effects
      .filter((job) => (job.payload as { referralId?: string }).referralId === draft.id)
      .map((job) => job.jobName);
    expect(names).toEqual(expect.arrayContaining(['effect.remindPartner', 'effect.escalateToSenderSupervisor']));
  });

  it('when a referral is sent before the case is oriented, then the send is refused and nothing is written', async () => {
    const opened = await open();
    const draft = await draftReferral(opened.id);
    const error = await engineError(
      sendReferralEvent(
        database.db,
        { referralId: draft.id, event: { type: 'SEND' }, expectedRevision: 0 },
        { actor: agent, clock },
      ),
    );
    expect(error.code).toBe('event_not_allowed');
    const [referral] = await database.db.select().from(referrals).where(eq(referrals.id, draft.id));
    expect(referral).toMatchObject({ status: 'draft', revision: 0 });
    expect(await timersOf(draft.id)).toEqual([]);
  });

  it('when a referral is created on a closed case, then it is refused', async () => {
    const opened = await open();
    await sendCaseEvent(
      database.db,
      { caseId: opened.id, event: { type: 'CLOSE', reason: 'information_given' }, expectedRevision: 0 },
      { actor: agent, clock },
    );
    const error = await engineError(draftReferral(opened.id));
    expect(error.code).toBe('event_not_allowed');
  });

  it('when the reference lists are migrated, then they hold exactly the codes the machines use', async () => {
    const rows = await database.db.select().from(referenceCodes);
    const seeded = Object.fromEntries(
      Object.keys(referenceCodeLists).map((list) => [
        list,
        Object.fromEntries(rows.filter((row) => row.list === list).map((row) => [row.code, row.labelFr])),
      ]),
    );
    expect(seeded).toEqual(referenceCodeLists);
  });
});

describe('engine: référent assignment', () => {
  it('when a case is handed to another agent, then the revision moves, the step is logged and the agent is told', async () => {
    const database = await createTestDatabase();
    try {
      const fixture = await createFixtureTerritory(database.db);
      const actor: Actor = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };
      const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
      const opened = await openCase(
        database.db,
        {
          territoryId: fixture.territoryId,
          entryOrganisationId: fixture.entryOrganisationId,
          channel: 'email',
          expressedRequest: 'Aide pour un dossier APA',
          members: [{ personId: fixture.personId, role: 'primary' }],
        },
        { actor, clock },
      );
      const { assignReferent } = await import('../src/index.ts');
      const view = await assignReferent(
        database.db,
        {
          caseId: opened.id,
          referentOrganisationId: fixture.partnerOrganisationId,
          referentAgentId: fixture.partnerAgentId,
          expectedRevision: 0,
        },
        { actor, clock },
      );
      expect(view).toMatchObject({ revision: 1, stage: 'reception' });
      const [row] = await database.db.select().from(cases).where(eq(cases.id, opened.id));
      expect(row).toMatchObject({
        referentOrganisationId: fixture.partnerOrganisationId,
        referentAgentId: fixture.partnerAgentId,
      });
      const jobs = await database.db.select().from(outbox).where(eq(outbox.jobName, 'effect.notifyCaseAssigned'));
      expect(jobs.map((job) => job.payload)).toEqual([
        {
          caseId: opened.id,
          referralId: null,
          revision: 1,
          at: clock.now().toISOString(),
          params: { agentId: fixture.partnerAgentId },
        },
      ]);
      const stale = await engineError(
        assignReferent(
          database.db,
          { caseId: opened.id, referentOrganisationId: fixture.entryOrganisationId, referentAgentId: null, expectedRevision: 0 },
          { actor, clock },
        ),
      );
      expect(stale.code).toBe('revision_conflict');
    } finally {
      await database.close();
    }
  });
});
