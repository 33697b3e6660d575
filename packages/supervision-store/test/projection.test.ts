import { calendarDaysBetween, isWorkingDay, parisDateOf } from '@parcours/calendar';
import { type Actor, caseEvents, rowsOf, supervisionCounts, supervisionDelays } from '@parcours/db';
import {
  assignReferent,
  createReferral,
  EngineError,
  fireTimer,
  getCaseView,
  getReferralView,
  listDueTimers,
  openCase,
  sendCaseEvent,
  sendReferralEvent,
} from '@parcours/engine';
import {
  availableBackends,
  createFixtureTerritory,
  createTestDatabase,
  type FixtureTerritory,
  ManualClock,
  type TestDatabase,
} from '@parcours/testing';
import { asc, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectSupervisionBatch, projectSupervisionUntilCaughtUp, rebuildSupervision } from '../src/index.ts';

/** One step of a random journey: what a reception desk and a partner might do next, or time passing. */
type Step =
  | { kind: 'journey'; caseIndex: number; pick: number }
  | { kind: 'refer'; caseIndex: number }
  | { kind: 'answer'; caseIndex: number; pick: number; answer: number; appointmentInDays: number }
  | { kind: 'handover'; caseIndex: number }
  | { kind: 'wait'; hours: number };

const journeyChoices = [
  { type: 'START_ASSESSMENT' },
  { type: 'COMPLETE_ASSESSMENT' },
  { type: 'ENTER_CASE_MANAGEMENT' },
  { type: 'END_CASE_MANAGEMENT' },
  { type: 'REORIENT' },
  { type: 'SUSPEND', reason: 'lost_contact' },
  { type: 'RESUME' },
  { type: 'CLOSE', reason: 'needs_met' },
];
const referralChoices = (appointmentAt: string) => [
  { type: 'MARK_SEEN' },
  { type: 'START_STUDY' },
  { type: 'ACCEPT' },
  { type: 'DECLINE', reason: 'service_full' },
  { type: 'REDIRECT' },
  { type: 'SET_APPOINTMENT', at: appointmentAt, mode: 'in_person' },
  { type: 'START_SUPPORT' },
  { type: 'REPORT_NO_SHOW' },
  { type: 'COMPLETE', outcome: 'rights_opened' },
  { type: 'ABANDON' },
];

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('journey' as const), caseIndex: fc.nat(3), pick: fc.nat(11) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refer' as const), caseIndex: fc.nat(3) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      caseIndex: fc.nat(3),
      pick: fc.nat(9),
      answer: fc.nat(9),
      appointmentInDays: fc.integer({ min: 0, max: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('handover' as const), caseIndex: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 24 * 12 }) }) },
);

async function ignoringRefusals(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
  }
}

/** Working days from one instant's Paris date to another's, counted day by day (independent of the calendar's index). */
function workingDaysCountedOneByOne(from: Date, to: Date): number {
  const days = calendarDaysBetween(from, to);
  let count = 0;
  const start = Date.parse(`${parisDateOf(from)}T12:00:00Z`);
  for (let day = 1; day <= days; day += 1) {
    if (isWorkingDay(new Date(start + day * 86_400_000).toISOString().slice(0, 10))) count += 1;
  }
  return count;
}

describe.each(availableBackends())('supervision projection on %s', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ backend });
  });
  afterAll(async () => {
    await database?.close();
  });

  async function runJourneys(fixture: FixtureTerritory, clock: ManualClock, steps: Step[], caseCount: number) {
    const db = database.db;
    const agent: Actor = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };
    const partner: Actor = { kind: 'agent', id: fixture.partnerAgentId, organisationId: fixture.partnerOrganisationId };
    const caseIds: string[] = [];
    const referralsOf = new Map<string, string[]>();
    for (let index = 0; index < caseCount; index += 1) {
      const opened = await openCase(
        db,
        {
          territoryId: fixture.territoryId,
          entryOrganisationId: fixture.entryOrganisationId,
          channel: index % 2 === 0 ? 'physical' : 'phone',
          expressedRequest: 'Demande',
          members: [{ personId: fixture.personId, role: 'primary' }],
        },
        { actor: agent, clock },
      );
      caseIds.push(opened.id);
      referralsOf.set(opened.id, []);
    }
    for (const step of steps) {
      if (step.kind === 'wait') {
        clock.set(new Date(clock.now().getTime() + step.hours * 3_600_000));
        for (const due of await listDueTimers(db, clock.now())) await fireTimer(db, due, { clock });
        continue;
      }
      const caseId = caseIds[step.caseIndex % caseIds.length] as string;
      const view = await getCaseView(db, caseId);
      if (!view) continue;
      if (step.kind === 'journey') {
        // Among the events the case takes now, closing comes up least: most cases go some way first.
        const allowed = journeyChoices.filter((choice) => view.allowedEvents.includes(choice.type));
        const open = allowed.filter((choice) => choice.type !== 'CLOSE');
        const pool = step.pick % 12 === 0 || open.length === 0 ? allowed : open;
        const event = pool[step.pick % Math.max(1, pool.length)];
        if (!event) continue;
        await ignoringRefusals(() =>
          sendCaseEvent(db, { caseId, event, expectedRevision: view.revision }, { actor: agent, clock }),
        );
      } else if (step.kind === 'refer') {
        await ignoringRefusals(async () => {
          const draft = await createReferral(
            db,
            {
              caseId,
              fromOrganisationId: fixture.entryOrganisationId,
              toOrganisationId: fixture.partnerOrganisationId,
              purpose: 'social_support',
              sharedCategories: ['identity'],
            },
            { actor: agent, clock },
          );
          referralsOf.get(caseId)?.push(draft.id);
          await sendReferralEvent(
            db,
            { referralId: draft.id, event: { type: 'SEND' }, expectedRevision: 0 },
            { actor: agent, clock },
          );
        });
      } else if (step.kind === 'answer') {
        const referralIds = referralsOf.get(caseId) ?? [];
        const referralId = referralIds[step.pick % Math.max(1, referralIds.length)];
        if (!referralId) continue;
        const referral = await getReferralView(db, referralId);
        if (!referral) continue;
        const appointmentAt = new Date(clock.now().getTime() + step.appointmentInDays * 86_400_000).toISOString();
        const allowed = referralChoices(appointmentAt).filter((choice) => referral.allowedEvents.includes(choice.type));
        const event = allowed[step.answer % Math.max(1, allowed.length)];
        if (!event) continue;
        await ignoringRefusals(() =>
          sendReferralEvent(db, { referralId, event, expectedRevision: referral.revision }, { actor: partner, clock }),
        );
      } else {
        await ignoringRefusals(() =>
          assignReferent(
            db,
            {
              caseId,
              referentOrganisationId: fixture.partnerOrganisationId,
              referentAgentId: null,
              expectedRevision: view.revision,
            },
            { actor: agent, clock },
          ),
        );
      }
      clock.set(new Date(clock.now().getTime() + 37 * 60_000));
    }
    return caseIds;
  }

  const aggregatesOf = async (territoryId: string) => ({
    delays: await database.db
      .select()
      .from(supervisionDelays)
      .where(eq(supervisionDelays.territoryId, territoryId))
      .then((rows) =>
        rows
          .filter((row) => row.count !== 0)
          .map((row) => JSON.stringify(row))
          .sort(),
      ),
    counts: await database.db
      .select()
      .from(supervisionCounts)
      .where(eq(supervisionCounts.territoryId, territoryId))
      .then((rows) =>
        rows
          .filter((row) => row.count !== 0)
          .map((row) => JSON.stringify(row))
          .sort(),
      ),
  });

  it('when random journeys run through the engine (Paris time, public holidays, DST), then the aggregates equal a recount from the log and a rebuild', async () => {
    const territories: string[] = [];
    const measuredStages = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary, { minLength: 10, maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        // Starts around the spring and autumn DST changes of 2026 (29 March, 25 October) and Easter.
        fc.constantFrom('2026-03-27T16:00:00Z', '2026-04-03T08:00:00Z', '2026-10-23T21:30:00Z', '2026-12-24T10:00:00Z'),
        fc.integer({ min: 1, max: 25 }),
        async (steps, caseCount, start, batchSize) => {
          const clock = new ManualClock(new Date(start));
          const fixture = await createFixtureTerritory(database.db, { delays: { referralReminder: 2, referralEscalation: 4 } });
          territories.push(fixture.territoryId);
          const caseIds = await runJourneys(fixture, clock, steps, caseCount);
          // Folded in small batches, as the worker does while the desk writes.
          while ((await projectSupervisionBatch(database.db, { batchSize })).more) {}
          const incremental = await aggregatesOf(fixture.territoryId);

          // A recount straight from the log: each case's first assessment, first referral, each referral's answer.
          const expected = new Map<string, number>();
          const add = (stage: string, from: Date, to: Date) => {
            for (const [kind, days] of [
              ['calendar', calendarDaysBetween(from, to)],
              ['working', workingDaysCountedOneByOne(from, to)],
            ] as const) {
              const key = `${stage}|${kind}|${Math.max(0, days)}`;
              expected.set(key, (expected.get(key) ?? 0) + 1);
            }
          };
          for (const caseId of caseIds) {
            const log = await database.db
              .select()
              .from(caseEvents)
              .where(eq(caseEvents.caseId, caseId))
              .orderBy(asc(caseEvents.sequence));
            const opened = log.find((event) => event.eventType === 'OPEN');
            if (!opened) throw new Error('a case without its opening');
            const assessed = log.find((event) => event.referralId === null && event.eventType === 'COMPLETE_ASSESSMENT');
            if (assessed) add('case_to_assessment', opened.at, assessed.at);
            const firstSent = log.find((event) => event.eventType === 'SEND');
            if (firstSent) add('case_to_orientation', opened.at, firstSent.at);
            for (const referralId of new Set(log.flatMap((event) => (event.referralId ? [event.referralId] : [])))) {
              const own = log.filter((event) => event.referralId === referralId);
              const sent = own.find((event) => event.eventType === 'SEND');
              const answer = own.find((event) => ['ACCEPT', 'DECLINE', 'REDIRECT'].includes(event.eventType));
              if (sent && answer) add('referral_to_answer', sent.at, answer.at);
            }
          }
          const stored = rowsOf<{ key: string; count: string | number }>(
            await database.db.execute(sql`
                select stage || '|' || day_kind || '|' || days as key, sum(count) as count from supervision_delays
                where territory_id = ${fixture.territoryId} and bundle = '*' and channel = '*'
                  and stage in ('case_to_assessment', 'case_to_orientation', 'referral_to_answer')
                group by 1 having sum(count) <> 0`),
          );
          expect(new Map(stored.map((row) => [row.key, Number(row.count)]))).toEqual(expected);
          for (const key of expected.keys()) measuredStages.add(key.split('|')[0] as string);

          const endedInLog = rowsOf<{ n: string | number }>(
            await database.db.execute(sql`
                select count(distinct e.referral_id) as n from case_events e join cases c on c.id = e.case_id
                where c.territory_id = ${fixture.territoryId} and e.referral_id is not null
                  and e.to_state in ('completed', 'declined', 'redirected', 'noShow', 'abandoned', 'expired', 'cancelled')
                  and exists (select 1 from case_events s where s.referral_id = e.referral_id and s.event_type = 'SEND')`),
          );
          const endedCounted = rowsOf<{ n: string | number | null }>(
            await database.db.execute(sql`
                select sum(count) as n from supervision_counts
                where territory_id = ${fixture.territoryId} and measure = 'referral_ended' and bundle = '*' and channel = '*'`),
          );
          expect(Number(endedCounted[0]?.n ?? 0)).toBe(Number(endedInLog[0]?.n ?? 0));

          // The same aggregates when the read model is emptied and folded again from the whole log.
          await rebuildSupervision(database.db, { batchSize: 50 });
          expect(await aggregatesOf(fixture.territoryId)).toEqual(incremental);
        },
      ),
      {
        numRuns: backend === 'pglite' ? 8 : 15,
        // One walk known to go through every recounted stage, across the spring DST change.
        examples: [
          [
            [
              { kind: 'journey', caseIndex: 0, pick: 0 },
              { kind: 'wait', hours: 50 },
              { kind: 'journey', caseIndex: 0, pick: 0 },
              { kind: 'refer', caseIndex: 0 },
              { kind: 'wait', hours: 30 },
              { kind: 'answer', caseIndex: 0, pick: 0, answer: 2, appointmentInDays: 5 },
            ],
            1,
            '2026-03-27T16:00:00Z',
            3,
          ],
        ],
      },
    );
    // The walks did reach every recounted stage: the comparison above compared something.
    expect([...measuredStages].sort()).toEqual(['case_to_assessment', 'case_to_orientation', 'referral_to_answer']);
  }, 240_000);

  it('when a referral passes its reminder without an answer, then it is a breach until the partner answers', async () => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const fixture = await createFixtureTerritory(database.db, { delays: { referralReminder: 2 } });
    const [caseId] = await runJourneys(
      fixture,
      clock,
      [
        { kind: 'journey', caseIndex: 0, pick: 0 },
        { kind: 'journey', caseIndex: 0, pick: 1 },
        { kind: 'refer', caseIndex: 0 },
        { kind: 'wait', hours: 24 * 4 },
      ],
      1,
    );
    await projectSupervisionUntilCaughtUp(database.db);
    const breaches = () =>
      database.db
        .execute(sql`select count(*)::int as n from supervision_referral_facts where case_id = ${caseId as string}
                     and reminded_at is not null and answered_at is null and final_status is null`)
        .then((result) => rowsOf<{ n: number }>(result)[0]?.n);
    expect(await breaches()).toBe(1);
    await runJourneys(fixture, clock, [], 0);
    const [referral] = rowsOf<{ id: string; revision: number }>(
      await database.db.execute(sql`select id, revision from referrals where case_id = ${caseId as string}`),
    );
    await sendReferralEvent(
      database.db,
      { referralId: referral?.id as string, event: { type: 'ACCEPT' }, expectedRevision: referral?.revision as number },
      { actor: { kind: 'agent', id: fixture.partnerAgentId, organisationId: fixture.partnerOrganisationId }, clock },
    );
    await projectSupervisionUntilCaughtUp(database.db);
    expect(await breaches()).toBe(0);
  });
});
