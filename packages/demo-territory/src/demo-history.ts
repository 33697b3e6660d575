import { currentAssessmentForm, rightCodes } from '@parcours/assessment';
import {
  type Actor,
  agents,
  assessments,
  caseTimers,
  contacts,
  type Database,
  directoryServices,
  memberships,
  personIdentities,
  persons,
  systemActor,
  withActor,
} from '@parcours/db';
import {
  addWorkingDays,
  createReferral,
  EngineError,
  fireTimer,
  getCaseView,
  getReferralView,
  openCase,
  sendCaseEvent,
  sendReferralEvent,
} from '@parcours/engine';
import { bundleCodes, declineReasons, type ReceptionChannel } from '@parcours/vocabulary';
import { and, asc, eq, lte } from 'drizzle-orm';
import { demoTerritoryId } from './demo-territory.ts';
import { seededRandomOf } from './seeded-random.ts';

/**
 * About a year of fictional history for the demo territory, written through the engine as agents would
 * have (cases, assessments, referrals, partners' answers, appointments, deadlines firing on time), so that
 * supervision's pages have something to say. Deterministic (a seeded generator): every fresh demo is the
 * same. Persons are fictional.
 */

const dayMs = 86_400_000;
const familyNames = [
  'Martin',
  'Bernard',
  'Roux',
  'Faure',
  'Blanc',
  'Girard',
  'Bonnet',
  'Chabert',
  'Arnaud',
  'Reynaud',
  'Garcia',
  'Nguyen',
  'Haddad',
  'Lopez',
  'Meyer',
  'Colin',
];
const givenNames = [
  'Camille',
  'Lucas',
  'Manon',
  'Karim',
  'Chloé',
  'Hugo',
  'Aïcha',
  'Louis',
  'Inès',
  'Théo',
  'Nadia',
  'Julien',
  'Sarah',
  'Marc',
  'Odile',
  'Rémi',
];
/** Communes the demo's people live in: Gap, Laragne and its valley, Briançon, Embrun, Veynes, Tallard. */
const homeCommunes = [
  ['05061', 8],
  ['05070', 6],
  ['05103', 1],
  ['05173', 1],
  ['05023', 3],
  ['05046', 2],
  ['05179', 2],
  ['05170', 1],
] as const;
const channels: (readonly [ReceptionChannel, number])[] = [
  ['physical', 60],
  ['phone', 25],
  ['email', 8],
  ['itinerant', 4],
  ['visio', 3],
];
/** More people come in autumn and winter (back-to-school, heating, end-of-year), fewer in August. */
const monthWeight = [1.2, 1.1, 1.1, 1, 1, 0.9, 0.7, 0.5, 1.2, 1.3, 1.2, 1];
const partnersByNeed = [
  'caf',
  'france-travail',
  'cpam',
  'msa',
  'mission-locale',
  'departement',
  'dac',
  'association',
  'ccas-gap',
];

interface Planned {
  at: number;
  order: number;
  run: () => Promise<void>;
}

/** Fires the deadlines that fell due before `until`, each at its own due time, as the worker would have. */
async function fireDueTimers(db: Database, until: Date): Promise<void> {
  for (;;) {
    const due = await withActor(db, systemActor, (tx) =>
      tx
        .select({ id: caseTimers.id, armedRevision: caseTimers.armedRevision, dueAt: caseTimers.dueAt })
        .from(caseTimers)
        .where(and(eq(caseTimers.status, 'armed'), lte(caseTimers.dueAt, until)))
        .orderBy(asc(caseTimers.dueAt))
        .limit(50),
    );
    if (due.length === 0) return;
    for (const timer of due) {
      await fireTimer(db, { timerRowId: timer.id, armedRevision: timer.armedRevision }, { clock: { now: () => timer.dueAt } });
    }
  }
}

/** Runs an engine step, ignoring a refusal: the history's plan may meet a state that moved on (a referral expired). */
async function attempt(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
  }
}

export async function seedDemoHistory(
  db: Database,
  organisationIds: Record<string, string>,
  /** `signal`: stop between two steps (the embedded start writes the history while the desk already answers). */
  options: { now?: Date; cases?: number; signal?: AbortSignal } = {},
): Promise<{ cases: number }> {
  const now = options.now ?? new Date();
  const caseCount = options.cases ?? 300;
  if (caseCount <= 0) return { cases: 0 };
  const random = seededRandomOf(17);
  const agentRows = await db
    .select({ id: agents.id, organisationId: memberships.organisationId })
    .from(agents)
    .innerJoin(memberships, eq(memberships.agentId, agents.id));
  const agentOf = (key: string): Actor => {
    const organisationId = organisationIds[key] as string;
    const row = agentRows.find((candidate) => candidate.organisationId === organisationId);
    return { kind: 'agent', id: row?.id ?? null, organisationId };
  };
  const services = await db
    .select({ id: directoryServices.id, organisationId: directoryServices.organisationId })
    .from(directoryServices)
    .where(eq(directoryServices.territoryId, demoTerritoryId));
  const serviceOf = (organisationId: string) => services.find((service) => service.organisationId === organisationId)?.id;

  const plan: Planned[] = [];
  let order = 0;
  const at = (instant: number, run: () => Promise<void>) => {
    if (instant < now.getTime()) plan.push({ at: instant, order: order++, run });
  };
  // An instant on a working day, during opening hours (Paris, roughly), `days` after `from`.
  const workingTimeAfter = (from: number, days: number) => {
    const day = addWorkingDays(new Date(from), Math.max(0, Math.round(days)));
    day.setUTCHours(random.int(7, 15), random.pick([0, 15, 30, 45]), 0, 0);
    return Math.max(day.getTime(), from + 60_000);
  };

  for (let index = 0; index < caseCount; index += 1) {
    // The day of entry: a year back to a few days ago, weighted by month.
    let entry = 0;
    for (;;) {
      entry = now.getTime() - random.int(3, 365) * dayMs;
      if (random.next() * 1.3 < (monthWeight[new Date(entry).getUTCMonth()] ?? 1)) break;
    }
    const opensAt = workingTimeAfter(entry, 0);
    const entryKey = random.weighted([
      ['fs-laragne', 5],
      ['ccas-gap', 4],
      ['departement', 3],
      ['dac', 1],
    ] as const);
    const desk = agentOf(entryKey);
    const channel = random.weighted(channels);
    const commune = random.weighted(homeCommunes);
    const family = random.pick(familyNames);
    const given = random.pick(givenNames);
    const topic = random.pick(bundleCodes);
    const withContact = random.next() < 0.5;
    // Most requests are first-level information: two quick contacts per case on average never become one.
    for (let quick = random.int(0, 4); quick > 0; quick -= 1) {
      const contactAt = workingTimeAfter(entry - random.int(0, 20) * dayMs, 0);
      at(contactAt, async () => {
        await withActor(db, desk, (tx) =>
          tx.insert(contacts).values({
            territoryId: demoTerritoryId,
            organisationId: desk.organisationId as string,
            agentId: desk.id as string,
            channel: random.weighted(channels),
            topic: random.pick(bundleCodes),
            outcome: 'answered',
            at: new Date(contactAt),
          }),
        );
      });
    }
    const state = { caseId: '', referralId: '' };
    // Deadlines fire between two steps and move the revision: each step reads it first, as a page would.
    const journey = async (type: string, extra: Record<string, unknown> = {}) =>
      attempt(async () => {
        const current = await getCaseView(db, state.caseId);
        if (!current) return;
        await sendCaseEvent(
          db,
          { caseId: state.caseId, event: { type, ...extra }, expectedRevision: current.revision },
          { actor: desk, clock: { now: () => new Date(clock) } },
        );
      });
    let clock = opensAt;
    const step = (instant: number, run: () => Promise<void>) =>
      at(instant, async () => {
        clock = instant;
        if (state.caseId) await run();
      });

    at(opensAt, async () => {
      clock = opensAt;
      const [person] = await db
        .insert(persons)
        .values({ createdByOrganisationId: desk.organisationId, lastContactAt: new Date(opensAt) })
        .returning({ id: persons.id });
      const personId = person?.id as string;
      await db.insert(personIdentities).values({
        personId,
        familyName: family,
        givenNames: given,
        birthDate: `${random.int(1940, 2005)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
        communeInsee: commune,
        searchKey: `${family} ${given}`
          .normalize('NFD')
          .replace(/\p{Diacritic}/gu, '')
          .toLowerCase(),
      });
      const view = await openCase(
        db,
        {
          territoryId: demoTerritoryId,
          entryOrganisationId: desk.organisationId as string,
          channel,
          expressedRequest: 'Demande de l’historique de démonstration.',
          members: [{ personId, role: 'primary' }],
        },
        { actor: desk, clock: { now: () => new Date(opensAt) } },
      );
      state.caseId = view.id;
      if (withContact) {
        await withActor(db, desk, (tx) =>
          tx.insert(contacts).values({
            territoryId: demoTerritoryId,
            organisationId: desk.organisationId as string,
            agentId: desk.id as string,
            channel,
            topic,
            outcome: 'case_opened',
            personId,
            caseId: view.id,
            at: new Date(opensAt - random.int(0, 5) * dayMs),
          }),
        );
      }
    });

    // One in ten is settled at reception with information; the rest are assessed.
    if (random.next() < 0.1) {
      step(workingTimeAfter(opensAt, random.int(0, 2)), () => journey('CLOSE', { reason: 'information_given' }));
      continue;
    }
    const assessmentStarts = workingTimeAfter(
      opensAt,
      random.weighted([
        [0, 5],
        [2, 3],
        [6, 1],
      ] as const),
    );
    step(assessmentStarts, () => journey('START_ASSESSMENT'));
    const assessed = workingTimeAfter(
      assessmentStarts,
      random.weighted([
        [1, 3],
        [5, 3],
        [12, 2],
        [25, 1],
      ] as const),
    );
    const rights = [...new Set([random.pick(rightCodes), random.pick(rightCodes)])].map((right) => {
      const status = random.weighted([
        ['requested', 2],
        ['opened', 4],
        ['refused', 1],
        ['not_requested', 2],
        ['identified', 1],
      ] as const);
      return {
        right,
        status,
        ...(status === 'refused' || status === 'not_requested'
          ? {
              nonTakeUpReason: random.weighted([
                ['non_knowledge', 4],
                ['non_request', 3],
                ['non_reception', 2],
                ['non_proposal', 1],
              ] as const),
            }
          : {}),
        updatedAt: new Date(assessed).toISOString(),
      };
    });
    step(assessed, async () => {
      await journey('COMPLETE_ASSESSMENT');
      await withActor(db, desk, (tx) =>
        tx.insert(assessments).values({
          caseId: state.caseId,
          formId: currentAssessmentForm.id,
          formVersion: currentAssessmentForm.version,
          status: 'completed',
          answers: { needs: {} },
          potentialRights: rights,
          dataCategories: ['assessment'],
          createdByAgentId: desk.id,
          createdByOrganisationId: desk.organisationId,
          completedAt: new Date(assessed),
          completedByAgentId: desk.id,
          createdAt: new Date(assessed),
          updatedAt: new Date(assessed),
        }),
      );
    });
    if (random.next() < 0.08) {
      step(workingTimeAfter(assessed, random.int(5, 20)), () => journey('SUSPEND', { reason: 'lost_contact' }));
      continue;
    }
    // Orientation to a partner, and the partner's answer.
    const partnerKey = random.pick(partnersByNeed.filter((key) => key !== entryKey));
    const partner = agentOf(partnerKey);
    const sent = workingTimeAfter(
      assessed,
      random.weighted([
        [0, 3],
        [3, 3],
        [10, 2],
        [30, 1],
      ] as const),
    );
    step(sent, () =>
      attempt(async () => {
        const draft = await createReferral(
          db,
          {
            caseId: state.caseId,
            fromOrganisationId: desk.organisationId as string,
            toOrganisationId: partner.organisationId as string,
            toServiceId: serviceOf(partner.organisationId as string),
            purpose: 'rights_opening',
            sharedCategories: ['identity', 'contact'],
          },
          { actor: desk, clock: { now: () => new Date(sent) } },
        );
        const view = await sendReferralEvent(
          db,
          { referralId: draft.id, event: { type: 'SEND' }, expectedRevision: draft.revision },
          { actor: desk, clock: { now: () => new Date(sent) } },
        );
        state.referralId = view.id;
      }),
    );
    // Partners answer at their own pace: some fast, some late, some never (the referral expires).
    const partnerPace =
      {
        caf: 6,
        'france-travail': 4,
        cpam: 8,
        msa: 5,
        'mission-locale': 3,
        departement: 7,
        dac: 2,
        association: 3,
        'ccas-gap': 3,
      }[partnerKey] ?? 5;
    const answer = random.weighted([
      ['ACCEPT', 70],
      ['DECLINE', 15],
      ['REDIRECT', 4],
      ['NONE', 11],
    ] as const);
    // After a failed referral, most referents settle the case within a few weeks; the rest stay in
    // orientation past its deadline (what « Dépassements » shows).
    const settleAfterFailure = (from: number) => {
      if (random.next() < 0.75) {
        const reason = random.pick(['handled_elsewhere', 'person_withdrew', 'moved_out'] as const);
        step(workingTimeAfter(from, random.int(3, 15)), () => journey('CLOSE', { reason }));
      }
    };
    if (answer === 'NONE') {
      settleAfterFailure(addWorkingDays(new Date(sent), 22).getTime());
      continue;
    }
    const referralEvent = (type: string, instant: number, extra: Record<string, unknown> = {}) =>
      step(instant, () =>
        attempt(async () => {
          const current = state.referralId ? await getReferralView(db, state.referralId) : null;
          if (!current) return;
          await sendReferralEvent(
            db,
            { referralId: state.referralId, event: { type, ...extra }, expectedRevision: current.revision },
            { actor: partner, clock: { now: () => new Date(instant) } },
          );
        }),
      );
    const answered = workingTimeAfter(sent, random.int(0, partnerPace * 3));
    if (answer === 'DECLINE') {
      referralEvent('DECLINE', answered, { reason: random.pick(Object.keys(declineReasons)) });
      settleAfterFailure(answered);
      continue;
    }
    if (answer === 'REDIRECT') {
      referralEvent('REDIRECT', answered);
      settleAfterFailure(answered);
      continue;
    }
    referralEvent('ACCEPT', answered);
    const appointment = answered + random.int(3, 40) * dayMs;
    const mode = random.weighted([
      ['in_person', 7],
      ['phone', 2],
      ['visio', 1],
    ] as const);
    referralEvent('SET_APPOINTMENT', workingTimeAfter(answered, random.int(0, 2)), {
      at: new Date(workingTimeAfter(appointment, 0)).toISOString(),
      mode,
      // A visio takes place at a reception point: the entry organisation's.
      ...(mode === 'visio' ? { receptionPointId: desk.organisationId } : {}),
    });
    const afterAppointment = workingTimeAfter(appointment, 1);
    if (random.next() < 0.15) {
      referralEvent('REPORT_NO_SHOW', afterAppointment);
      settleAfterFailure(afterAppointment);
      continue;
    }
    referralEvent('START_SUPPORT', afterAppointment);
    const ends = workingTimeAfter(afterAppointment, random.int(10, 60));
    if (random.next() < 0.1) {
      referralEvent('ABANDON', ends);
      settleAfterFailure(ends);
    } else {
      referralEvent('COMPLETE', ends, { outcome: 'rights_opened' });
      step(workingTimeAfter(ends, random.int(1, 10)), () => journey('CLOSE', { reason: 'needs_met' }));
    }
  }

  // One timeline for the whole territory: before each step, the deadlines that fell due fire on time.
  plan.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const planned of plan) {
    if (options.signal?.aborted) return { cases: caseCount };
    await fireDueTimers(db, new Date(planned.at));
    await planned.run();
  }
  await fireDueTimers(db, now);
  return { cases: caseCount };
}
