import { addWorkingDays, workingDayRulesOf } from '@parcours/calendar';
import {
  type Actor,
  auditRowDigestOf,
  caseMembers,
  cases,
  caseTimers,
  type Database,
  referrals,
  systemActor,
  type Transaction,
  territories,
  withActor,
} from '@parcours/db';
import type { JobName } from '@parcours/jobs';
import {
  allowedEventsOf,
  applyTransition,
  currentMachineVersion,
  defaultDelayWorkingDays,
  type EventObject,
  journeyAgentEventSchema,
  journeyEventForReferral,
  type MachineKind,
  machineRegistry,
  referralEventSchema,
  sendableEventTypes,
  startMachine,
  type TransitionOutcome,
} from '@parcours/journey';
import { dataCategories, receptionChannels, referralPurposes } from '@parcours/vocabulary';
import { and, eq, lte, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { EngineError } from './errors.ts';

/** Outbox job names the engine writes; the worker's catalog handles each. */
export const engineJobNames = {
  timerArmed: 'timer.armed',
  timerCancelled: 'timer.cancelled',
  /** Written by the engine itself (opening, assignment), not by a machine action. */
  caseAssigned: 'effect.notifyCaseAssigned',
  /** Written by the engine itself when the partner answers a referral: the case's followers are told. */
  referralAnswered: 'effect.notifyReferralAnswered',
  /** Written by the engine itself when a referral is sent: the receiving partner's agents are told. */
  referralSent: 'effect.notifyReferralSent',
} as const satisfies Record<string, JobName>;

/**
 * Referral events that are the partner's answers (every one but the sender's SEND and CANCEL, and timers):
 * each one is e-mailed to the people who follow the case.
 */
export const partnerAnswerEventTypes: readonly string[] = [
  'MARK_SEEN',
  'START_STUDY',
  'ACCEPT',
  'DECLINE',
  'REDIRECT',
  'SET_APPOINTMENT',
  'START_SUPPORT',
  'REPORT_NO_SHOW',
  'COMPLETE',
  'ABANDON',
];

/**
 * Every job name the engine may write to the outbox: its own, and each `effect.*` action of every
 * released machine. The worker refuses to start unless its catalog covers all of them.
 */
export function outboxJobNames(): string[] {
  const machines = Object.values(machineRegistry).flatMap((versions) => Object.values(versions));
  const effects = machines.flatMap((machine) =>
    Object.keys(machine.implementations.actions).filter((name) => name.startsWith('effect.')),
  );
  return [...new Set([...Object.values(engineJobNames), ...effects])].sort();
}

export interface EngineClock {
  now(): Date;
}
export const systemClock: EngineClock = { now: () => new Date() };

const territorySettingsSchema = z
  .object({ delays: z.record(z.string(), z.number().int().min(0).max(365)).optional() })
  .passthrough();

export interface CaseView {
  id: string;
  stage: string;
  state: string;
  revision: number;
  machineId: string;
  machineVersion: number;
  allowedEvents: string[];
  closed: boolean;
}

export interface ReferralView {
  id: string;
  caseId: string;
  status: string;
  state: string;
  revision: number;
  allowedEvents: string[];
}

type CaseRow = typeof cases.$inferSelect;
type ReferralRow = typeof referrals.$inferSelect;

function caseViewOf(
  row: Pick<CaseRow, 'id' | 'stage' | 'stateValue' | 'revision' | 'machineId' | 'machineVersion' | 'snapshot' | 'closedAt'>,
): CaseView {
  return {
    id: row.id,
    stage: row.stage,
    state: statePathFromRow(row.stateValue),
    revision: row.revision,
    machineId: row.machineId,
    machineVersion: row.machineVersion,
    allowedEvents: allowedEventsOf(
      'journey',
      row.machineVersion,
      row.snapshot as Record<string, unknown>,
      sendableEventTypes.journey,
    ),
    closed: row.closedAt !== null,
  };
}

function referralViewOf(
  row: Pick<ReferralRow, 'id' | 'caseId' | 'status' | 'stateValue' | 'revision' | 'machineVersion' | 'snapshot'>,
): ReferralView {
  return {
    id: row.id,
    caseId: row.caseId,
    status: row.status,
    state: statePathFromRow(row.stateValue),
    revision: row.revision,
    allowedEvents: allowedEventsOf(
      'referral',
      row.machineVersion,
      row.snapshot as Record<string, unknown>,
      sendableEventTypes.referral,
    ),
  };
}

function statePathFromRow(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, child] = Object.entries(value)[0] ?? [];
    if (key !== undefined) return child === undefined ? key : `${key}.${statePathFromRow(child)}`;
  }
  return '';
}

interface Subject {
  kind: MachineKind;
  caseId: string;
  referralId: string | null;
  /** Revision after this step. */
  revision: number;
  territorySettings: unknown;
}

/**
 * Writes everything a transition implies, in ONE statement of data-modifying CTEs (one round trip): the
 * subject's own row when given, the event, the timers cancelled and armed (with an outbox row each, so the
 * worker unschedules or schedules the delivery), the effects as outbox rows, and the audit row. Runs in the
 * caller's transaction, after the subject row was locked.
 */
async function recordStep(
  tx: Transaction,
  subject: Subject,
  step: {
    eventType: string;
    payload: Record<string, unknown>;
    fromState: string;
    outcome: TransitionOutcome;
    machineVersion: number;
    /** `update … where id = …` of the subject's row, or null when the caller already wrote it. */
    subjectUpdate: SQL | null;
  },
  actor: Actor,
  now: Date,
  requestId: string | undefined,
): Promise<void> {
  const { outcome } = step;
  const subjectId = subject.referralId ?? subject.caseId;
  const at = now.toISOString();
  const settings = territorySettingsSchema.safeParse(subject.territorySettings);
  const delays = settings.success ? (settings.data.delays ?? {}) : {};
  const timersToArm = outcome.timersToArm.map((timer) => ({
    timer_id: timer.timerId,
    delay_name: timer.delayName,
    due_at: addWorkingDays(
      now,
      delays[timer.delayName] ?? defaultDelayWorkingDays[timer.delayName],
      workingDayRulesOf(subject.territorySettings),
    ).toISOString(),
  }));
  const effects = outcome.effects.map((effect) => ({
    job_name: effect.type,
    // `at`: when the transition happened, so a mail saying so needs no read of the (protected) event log.
    payload: { caseId: subject.caseId, referralId: subject.referralId, revision: subject.revision, at, params: effect.params },
  }));
  const subjectIds = subject.referralId ? [subject.referralId, subject.caseId] : [subject.caseId];
  const audit = {
    at: now,
    actorKind: actor.kind,
    actorId: actor.id,
    organisationId: actor.organisationId,
    action: subject.kind === 'journey' ? 'case.transition' : 'referral.transition',
    subjectKind: subject.kind === 'journey' ? 'case' : 'referral',
    subjectIds,
    purpose: null,
    consentId: null,
    outcome: 'allowed',
    requestId: requestId ?? null,
  };
  // JSON parameters keep the statement the same on postgres.js and PGlite (no driver-specific arrays).
  await tx.execute(sql`
    with ${step.subjectUpdate ? sql`subject_row as (${step.subjectUpdate}),` : sql``}
    event_row as (
      insert into case_events (case_id, referral_id, revision, event_type, payload, actor_kind, actor_id,
                               actor_organisation_id, from_state, to_state, machine_version, at)
      values (${subject.caseId}, ${subject.referralId}, ${subject.revision}, ${step.eventType},
              ${JSON.stringify(step.payload)}::jsonb, ${actor.kind}, ${actor.id}, ${actor.organisationId},
              ${step.fromState}, ${outcome.statePath}, ${step.machineVersion}, ${at}::timestamptz)
    ),
    cancelled as (
      update case_timers set status = 'cancelled', cancelled_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
      where subject_id = ${subjectId} and status = 'armed'
        and timer_id in (select jsonb_array_elements_text(${JSON.stringify(outcome.timersToCancel)}::jsonb))
      returning id, armed_revision
    ),
    armed as (
      insert into case_timers (case_id, referral_id, subject_id, timer_id, delay_name, due_at, armed_revision, status)
      select ${subject.caseId}, ${subject.referralId}::uuid, ${subjectId}, t.timer_id, t.delay_name, t.due_at, ${subject.revision}, 'armed'
      from jsonb_to_recordset(${JSON.stringify(timersToArm)}::jsonb) as t(timer_id text, delay_name text, due_at timestamptz)
      on conflict (subject_id, timer_id) do update
        set due_at = excluded.due_at, armed_revision = excluded.armed_revision, status = 'armed',
            fired_at = null, cancelled_at = null, updated_at = ${at}::timestamptz
      returning id, armed_revision, due_at
    ),
    jobs as (
      insert into outbox (job_name, payload)
      select ${engineJobNames.timerCancelled}, jsonb_build_object('timerRowId', id, 'armedRevision', armed_revision) from cancelled
      union all
      select ${engineJobNames.timerArmed}, jsonb_build_object('timerRowId', id, 'armedRevision', armed_revision,
             'dueAt', to_char(due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) from armed
      union all
      select e.job_name, e.payload from jsonb_to_recordset(${JSON.stringify(effects)}::jsonb) as e(job_name text, payload jsonb)
    )
    insert into audit_events (at, actor_kind, actor_id, organisation_id, action, subject_kind, subject_ids, outcome,
                              request_id, row_digest)
    select ${at}::timestamptz, ${audit.actorKind}, ${audit.actorId}, ${audit.organisationId}::uuid, ${audit.action},
           ${audit.subjectKind}, array(select jsonb_array_elements_text(${JSON.stringify(subjectIds)}::jsonb)), 'allowed',
           ${audit.requestId}, ${auditRowDigestOf(audit)}
  `);
}

async function lockCase(tx: Transaction, caseId: string) {
  const [row] = await tx
    .select({ case: cases, territorySettings: territories.settings })
    .from(cases)
    .innerJoin(territories, eq(territories.id, cases.territoryId))
    .where(eq(cases.id, caseId))
    .for('update', { of: cases });
  if (!row) throw new EngineError('case_not_found', 'Dossier introuvable.');
  return row;
}

/**
 * Applies one event to a locked case row: the pure transition, then the row, the event, timers, outbox
 * and audit. Returns null when the journey does not accept the event now.
 */
async function stepJourney(
  tx: Transaction,
  locked: { case: CaseRow; territorySettings: unknown },
  event: EventObject,
  actor: Actor,
  now: Date,
  requestId: string | undefined,
): Promise<CaseRow | null> {
  const row = locked.case;
  const outcome = applyTransition('journey', row.machineVersion, row.snapshot as Record<string, unknown>, event);
  if (!outcome) return null;
  const revision = row.revision + 1;
  const closureReason = outcome.done ? ((outcome.context.closureReason as string | null) ?? null) : row.closureReason;
  const closedAt = outcome.done ? now : row.closedAt;
  const updated: CaseRow = {
    ...row,
    snapshot: outcome.snapshot,
    stateValue: outcome.stateValue,
    stage: outcome.status,
    revision,
    updatedAt: now,
    closedAt,
    closureReason,
  };
  const { type, ...payload } = event;
  await recordStep(
    tx,
    { kind: 'journey', caseId: row.id, referralId: null, revision, territorySettings: locked.territorySettings },
    {
      eventType: type,
      payload,
      fromState: statePathFromRow(row.stateValue),
      outcome,
      machineVersion: row.machineVersion,
      subjectUpdate: sql`update cases set snapshot = ${JSON.stringify(outcome.snapshot)}::jsonb,
        state_value = ${JSON.stringify(outcome.stateValue)}::jsonb, stage = ${outcome.status}, revision = ${revision},
        updated_at = ${now.toISOString()}::timestamptz, closed_at = ${closedAt?.toISOString() ?? null}::timestamptz,
        closure_reason = ${closureReason} where id = ${row.id}`,
    },
    actor,
    now,
    requestId,
  );
  locked.case = updated;
  return updated;
}

function parseEvent<T extends EventObject>(schema: z.ZodType<T>, event: unknown): T {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    throw new EngineError('invalid_event', 'Événement invalide.', { issues: parsed.error.issues });
  }
  return parsed.data;
}

function checkRevision(current: number, expected: number): void {
  if (current !== expected) {
    throw new EngineError('revision_conflict', 'Le dossier a été modifié entre-temps.', {
      currentRevision: current,
      expectedRevision: expected,
    });
  }
}

export const openCaseInputSchema = z.object({
  territoryId: z.string().min(1),
  entryOrganisationId: z.string().uuid(),
  channel: z.enum(receptionChannels),
  expressedRequest: z.string().trim().min(1).max(5000),
  referentOrganisationId: z.string().uuid().optional(),
  referentAgentId: z.string().uuid().optional(),
  members: z
    .array(z.object({ personId: z.string().uuid(), role: z.enum(['primary', 'household_member', 'legal_representative']) }))
    .min(1)
    .refine((members) => members.filter((member) => member.role === 'primary').length === 1, {
      message: 'exactly one primary member',
    }),
});
export type OpenCaseInput = z.infer<typeof openCaseInputSchema>;

export interface EngineCall {
  actor: Actor;
  clock?: EngineClock;
  requestId?: string;
  /**
   * The caller's access decision, made on the locked row so that it cannot go stale before the write.
   * A refusal reads as `case_not_found`, before the revision check: a foreign case reveals nothing.
   */
  authorizeCase?: (row: { entryOrganisationId: string; referentOrganisationId: string }) => boolean;
  /**
   * The caller's access decision when it needs reads (a recipient's covering consent), on the locked rows
   * and before the revision check, like `authorizeCase`: a refusal reads as not found, so a stale revision
   * never tells a caller without access that the referral exists or moved. Used by `sendReferralEvent`.
   */
  authorizeLocked?: (tx: Transaction, locked: LockedRows) => Promise<boolean>;
  /**
   * Runs in the step's transaction on the locked rows, after the revision check and before the change:
   * the caller's decisions that must not go stale before the write (a covering consent, a partner link
   * still valid), and rows of its own that must commit with the step or not at all (a handover note, a
   * link marked used, an audit row naming the consent). Throwing refuses the step and rolls it all back.
   * Used by `createReferral`, `sendReferralEvent` and `assignReferent`.
   */
  inTransaction?: (tx: Transaction, locked: LockedRows) => Promise<void>;
}

/** The rows a step holds locked: the case, and the referral when the step moves one. */
export interface LockedRows {
  case: CaseRow;
  referral: ReferralRow | null;
}

/** Opens a case at any partner (no wrong door): the journey starts at reception. */
export async function openCase(db: Database, input: OpenCaseInput, call: EngineCall): Promise<CaseView> {
  const parsed = openCaseInputSchema.safeParse(input);
  if (!parsed.success) throw new EngineError('invalid_input', 'Données du dossier invalides.', { issues: parsed.error.issues });
  const data = parsed.data;
  const now = (call.clock ?? systemClock).now();
  const version = currentMachineVersion.journey;
  const outcome = startMachine('journey', version);
  return withActor(db, call.actor, async (tx) => {
    const [territory] = await tx
      .select({ settings: territories.settings })
      .from(territories)
      .where(eq(territories.id, data.territoryId));
    if (!territory) throw new EngineError('invalid_input', 'Territoire inconnu.');
    const [row] = await tx
      .insert(cases)
      .values({
        territoryId: data.territoryId,
        entryOrganisationId: data.entryOrganisationId,
        channel: data.channel,
        expressedRequest: data.expressedRequest,
        referentOrganisationId: data.referentOrganisationId ?? data.entryOrganisationId,
        referentAgentId: data.referentAgentId ?? null,
        machineId: 'journey',
        machineVersion: version,
        snapshot: outcome.snapshot,
        stateValue: outcome.stateValue,
        stage: outcome.status,
        revision: 0,
        openedByAgentId: call.actor.kind === 'agent' ? call.actor.id : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const created = row as CaseRow;
    await tx
      .insert(caseMembers)
      .values(data.members.map((member) => ({ caseId: created.id, personId: member.personId, role: member.role })));
    const referentAgentId = data.referentAgentId;
    const opening =
      referentAgentId && referentAgentId !== call.actor.id
        ? {
            ...outcome,
            effects: [...outcome.effects, { type: engineJobNames.caseAssigned, params: { agentId: referentAgentId } }],
          }
        : outcome;
    await recordStep(
      tx,
      { kind: 'journey', caseId: created.id, referralId: null, revision: 0, territorySettings: territory.settings },
      {
        eventType: 'OPEN',
        // The référent at opening: supervision measures handovers from it, whatever happens to the row later.
        payload: { channel: data.channel, referentOrganisationId: created.referentOrganisationId },
        fromState: '',
        outcome: opening,
        machineVersion: version,
        subjectUpdate: null,
      },
      call.actor,
      now,
      call.requestId,
    );
    return caseViewOf(created);
  });
}

export interface SendCaseEventInput {
  caseId: string;
  event: unknown;
  expectedRevision: number;
}

/**
 * The one writer of journey state. Locks the case, checks the expected revision (a mismatch is a
 * conflict, distinct from an event the state does not accept), transitions purely, and records the
 * step — all in one transaction.
 */
export async function sendCaseEvent(db: Database, input: SendCaseEventInput, call: EngineCall): Promise<CaseView> {
  const event = parseEvent(journeyAgentEventSchema, input.event);
  const now = (call.clock ?? systemClock).now();
  return withActor(db, call.actor, async (tx) => {
    const locked = await lockCase(tx, input.caseId);
    if (call.authorizeCase && !call.authorizeCase(locked.case)) throw new EngineError('case_not_found', 'Dossier introuvable.');
    checkRevision(locked.case.revision, input.expectedRevision);
    const updated = await stepJourney(tx, locked, event, call.actor, now, call.requestId);
    if (!updated) {
      throw new EngineError('event_not_allowed', 'Cette action n’est pas possible à cette étape du parcours.', {
        allowedEvents: caseViewOf(locked.case).allowedEvents,
        currentRevision: locked.case.revision,
      });
    }
    return caseViewOf(updated);
  });
}

export const createReferralInputSchema = z.object({
  caseId: z.string().uuid(),
  fromOrganisationId: z.string().uuid(),
  toOrganisationId: z.string().uuid(),
  toServiceId: z.string().min(1).max(200).optional(),
  purpose: z.enum(referralPurposes),
  sharedCategories: z.array(z.enum(dataCategories)).max(dataCategories.length),
  /** The referral a partner redirected, that this draft replaces. */
  redirectedFromId: z.string().uuid().optional(),
});
export type CreateReferralInput = z.infer<typeof createReferralInputSchema>;

/** A draft referral on an open case. Sending it is a referral event (SEND). */
export async function createReferral(db: Database, input: CreateReferralInput, call: EngineCall): Promise<ReferralView> {
  const parsed = createReferralInputSchema.safeParse(input);
  if (!parsed.success)
    throw new EngineError('invalid_input', 'Données de l’orientation invalides.', { issues: parsed.error.issues });
  const data = parsed.data;
  const now = (call.clock ?? systemClock).now();
  const version = currentMachineVersion.referral;
  const outcome = startMachine('referral', version);
  return withActor(db, call.actor, async (tx) => {
    const locked = await lockCase(tx, data.caseId);
    if (call.authorizeCase && !call.authorizeCase(locked.case)) throw new EngineError('case_not_found', 'Dossier introuvable.');
    if (locked.case.closedAt) throw new EngineError('event_not_allowed', 'Le dossier est clos.', { allowedEvents: [] });
    await call.inTransaction?.(tx, { case: locked.case, referral: null });
    const [row] = await tx
      .insert(referrals)
      .values({
        caseId: data.caseId,
        fromOrganisationId: data.fromOrganisationId,
        toOrganisationId: data.toOrganisationId,
        toServiceId: data.toServiceId ?? null,
        purpose: data.purpose,
        sharedCategories: [...new Set(data.sharedCategories)],
        redirectedFromId: data.redirectedFromId ?? null,
        machineId: 'referral',
        machineVersion: version,
        snapshot: outcome.snapshot,
        stateValue: outcome.stateValue,
        status: outcome.status,
        revision: 0,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const created = row as ReferralRow;
    await recordStep(
      tx,
      { kind: 'referral', caseId: data.caseId, referralId: created.id, revision: 0, territorySettings: locked.territorySettings },
      {
        eventType: 'CREATE',
        payload: { purpose: data.purpose },
        fromState: '',
        outcome,
        machineVersion: version,
        subjectUpdate: null,
      },
      call.actor,
      now,
      call.requestId,
    );
    return referralViewOf(created);
  });
}

async function lockReferral(tx: Transaction, referralId: string) {
  // Fixed lock order, case then referral, so that two writers never wait on each other in a cycle.
  const [ref] = await tx.select({ caseId: referrals.caseId }).from(referrals).where(eq(referrals.id, referralId));
  if (!ref) throw new EngineError('referral_not_found', 'Orientation introuvable.');
  const lockedCase = await lockCase(tx, ref.caseId);
  const [row] = await tx.select().from(referrals).where(eq(referrals.id, referralId)).for('update');
  if (!row) throw new EngineError('referral_not_found', 'Orientation introuvable.');
  return { lockedCase, referral: row };
}

/**
 * Moves a referral, and the journey with it when the move matters to the case (sent, or ended), in the
 * same transaction.
 */
async function stepReferral(
  tx: Transaction,
  locked: { lockedCase: { case: CaseRow; territorySettings: unknown }; referral: ReferralRow },
  event: EventObject,
  actor: Actor,
  now: Date,
  requestId: string | undefined,
  /** The categories the referral carries from now on (narrowed at sending), when they change. */
  sharedCategories?: string[],
): Promise<ReferralRow | null> {
  const row = locked.referral;
  const narrowed = sharedCategories !== undefined;
  const transition = applyTransition('referral', row.machineVersion, row.snapshot as Record<string, unknown>, event);
  if (!transition) return null;
  const engineEffect = partnerAnswerEventTypes.includes(event.type)
    ? { type: engineJobNames.referralAnswered, params: { status: transition.status } }
    : event.type === 'SEND'
      ? { type: engineJobNames.referralSent, params: {} }
      : null;
  const outcome = engineEffect ? { ...transition, effects: [...transition.effects, engineEffect] } : transition;
  const revision = row.revision + 1;
  const closedAt = outcome.done ? now : row.closedAt;
  const updated: ReferralRow = {
    ...row,
    snapshot: outcome.snapshot,
    stateValue: outcome.stateValue,
    status: outcome.status,
    revision,
    updatedAt: now,
    closedAt,
    sharedCategories: sharedCategories ?? row.sharedCategories,
  };
  const { type, ...payload } = event;
  await recordStep(
    tx,
    {
      kind: 'referral',
      caseId: row.caseId,
      referralId: row.id,
      revision,
      territorySettings: locked.lockedCase.territorySettings,
    },
    {
      eventType: type,
      payload,
      fromState: statePathFromRow(row.stateValue),
      outcome,
      machineVersion: row.machineVersion,
      subjectUpdate: sql`update referrals set snapshot = ${JSON.stringify(outcome.snapshot)}::jsonb,
        state_value = ${JSON.stringify(outcome.stateValue)}::jsonb, status = ${outcome.status}, revision = ${revision},
        updated_at = ${now.toISOString()}::timestamptz, closed_at = ${closedAt?.toISOString() ?? null}::timestamptz
        ${narrowed ? sql`, shared_categories = array(select jsonb_array_elements_text(${JSON.stringify(sharedCategories)}::jsonb))` : sql``}
        where id = ${row.id}`,
    },
    actor,
    now,
    requestId,
  );
  const journeyEvent = journeyEventForReferral(row.id, row.status, outcome);
  if (journeyEvent) {
    const journeyMoved = await stepJourney(tx, locked.lockedCase, journeyEvent, actor, now, requestId);
    // A referral leaves only once the case has been oriented: sent earlier, the journey would not count it
    // as in flight. Throwing here rolls the whole step back.
    if (!journeyMoved && journeyEvent.type === 'REFERRAL_SENT') {
      throw new EngineError('event_not_allowed', 'Une orientation ne peut être envoyée qu’une fois l’évaluation terminée.', {
        allowedEvents: referralViewOf(row).allowedEvents,
        currentRevision: row.revision,
      });
    }
    // Other answers may reach a journey that no longer takes them (a closed case): the referral's own log
    // still holds them.
  }
  return updated as ReferralRow;
}

export interface SendReferralEventInput {
  referralId: string;
  event: unknown;
  expectedRevision: number;
  /**
   * With SEND only: the categories the referral will carry, settled by the sender at sending (the draft's
   * by default); the caller's consent check in `inTransaction` decides on this final list.
   */
  sharedCategories?: readonly string[];
}

export async function sendReferralEvent(db: Database, input: SendReferralEventInput, call: EngineCall): Promise<ReferralView> {
  const event = parseEvent(referralEventSchema, input.event);
  const now = (call.clock ?? systemClock).now();
  return withActor(db, call.actor, async (tx) => {
    const locked = await lockReferral(tx, input.referralId);
    if (call.authorizeCase && !call.authorizeCase(locked.lockedCase.case)) {
      throw new EngineError('referral_not_found', 'Orientation introuvable.');
    }
    if (call.authorizeLocked && !(await call.authorizeLocked(tx, { case: locked.lockedCase.case, referral: locked.referral }))) {
      throw new EngineError('referral_not_found', 'Orientation introuvable.');
    }
    checkRevision(locked.referral.revision, input.expectedRevision);
    const narrowed = categoriesAtSend(locked.referral, event, input.sharedCategories);
    const referral = narrowed ? { ...locked.referral, sharedCategories: narrowed } : locked.referral;
    await call.inTransaction?.(tx, { case: locked.lockedCase.case, referral });
    const updated = await stepReferral(
      tx,
      { lockedCase: locked.lockedCase, referral },
      event,
      call.actor,
      now,
      call.requestId,
      narrowed,
    );
    if (!updated) {
      throw new EngineError('event_not_allowed', 'Cette action n’est pas possible à cette étape de l’orientation.', {
        allowedEvents: referralViewOf(locked.referral).allowedEvents,
        currentRevision: locked.referral.revision,
      });
    }
    return referralViewOf(updated);
  });
}

function categoriesAtSend(_row: ReferralRow, event: EventObject, requested: readonly string[] | undefined): string[] | undefined {
  if (requested === undefined) return undefined;
  // The sender settles what the referral shares when it sends it (adding or removing categories of the
  // draft); the consent check of that same transaction then decides on the final list. Never afterwards.
  const chosen = [...new Set(requested)];
  if (event.type !== 'SEND' || chosen.length === 0) {
    throw new EngineError('invalid_input', 'Les informations partagées se choisissent à l’envoi, au moins une.', {
      issues: [{ path: ['sharedCategories'], message: 'Seulement à l’envoi, au moins une catégorie.' }],
    });
  }
  return chosen;
}

export type TimerFiring = 'fired' | 'stale' | 'not_due' | 'not_found';

/**
 * Delivers a durable timer. The row is the truth: the event is applied only if the timer is still armed
 * at the revision the delivery was scheduled for, and due. Safe to call any number of times.
 */
export async function fireTimer(
  db: Database,
  input: { timerRowId: string; armedRevision: number },
  call: { clock?: EngineClock; actor?: Actor } = {},
): Promise<TimerFiring> {
  const now = (call.clock ?? systemClock).now();
  const actor: Actor = call.actor ?? { kind: 'system', id: null, organisationId: null };
  return withActor(db, actor, async (tx) => {
    const [peek] = await tx.select().from(caseTimers).where(eq(caseTimers.id, input.timerRowId));
    if (!peek) return 'not_found';
    // Lock in the engine's fixed order before looking at the timer again.
    const locked = peek.referralId
      ? await lockReferral(tx, peek.referralId)
      : { lockedCase: await lockCase(tx, peek.caseId), referral: null };
    const [timer] = await tx.select().from(caseTimers).where(eq(caseTimers.id, input.timerRowId)).for('update');
    if (timer?.status !== 'armed' || timer.armedRevision !== input.armedRevision) return 'stale';
    if (timer.dueAt.getTime() > now.getTime()) return 'not_due';
    const event = { type: timer.timerId };
    const moved = locked.referral
      ? await stepReferral(tx, { lockedCase: locked.lockedCase, referral: locked.referral }, event, actor, now, undefined)
      : await stepJourney(tx, locked.lockedCase, event, actor, now, undefined);
    await tx
      .update(caseTimers)
      .set(moved ? { status: 'fired', firedAt: now, updatedAt: now } : { status: 'cancelled', cancelledAt: now, updatedAt: now })
      .where(eq(caseTimers.id, timer.id));
    return moved ? 'fired' : 'stale';
  });
}

/** Armed timers already due: what a sweep fires when a queue lost or delayed a delivery. */
export async function listDueTimers(
  db: Database,
  now: Date,
  limit = 100,
): Promise<Array<{ timerRowId: string; armedRevision: number }>> {
  // Timers are under row-level security: every case's timers are the system's to fire.
  return withActor(db, systemActor, (tx) =>
    tx
      .select({ timerRowId: caseTimers.id, armedRevision: caseTimers.armedRevision })
      .from(caseTimers)
      .where(and(eq(caseTimers.status, 'armed'), lte(caseTimers.dueAt, now)))
      .orderBy(caseTimers.dueAt)
      .limit(limit),
  );
}

export const assignReferentInputSchema = z.object({
  caseId: z.string().uuid(),
  referentOrganisationId: z.string().uuid(),
  referentAgentId: z.string().uuid().nullable(),
  expectedRevision: z.number().int().min(0),
});
export type AssignReferentInput = z.infer<typeof assignReferentInputSchema>;

/**
 * Hands the case to a référent (organisation and, optionally, agent). Not a journey transition, but a
 * change of the case all the same: it takes the lock, checks and bumps the revision, and is logged.
 * The new référent agent is told by e-mail (an outbox effect) unless they assigned themselves.
 */
export async function assignReferent(db: Database, input: AssignReferentInput, call: EngineCall): Promise<CaseView> {
  const parsed = assignReferentInputSchema.safeParse(input);
  if (!parsed.success) throw new EngineError('invalid_input', 'Référent invalide.', { issues: parsed.error.issues });
  const data = parsed.data;
  const now = (call.clock ?? systemClock).now();
  return withActor(db, call.actor, async (tx) => {
    const locked = await lockCase(tx, data.caseId);
    if (call.authorizeCase && !call.authorizeCase(locked.case)) throw new EngineError('case_not_found', 'Dossier introuvable.');
    checkRevision(locked.case.revision, data.expectedRevision);
    if (locked.case.closedAt) throw new EngineError('event_not_allowed', 'Le dossier est clos.', { allowedEvents: [] });
    await call.inTransaction?.(tx, { case: locked.case, referral: null });
    const revision = locked.case.revision + 1;
    const [updated] = await tx
      .update(cases)
      .set({
        referentOrganisationId: data.referentOrganisationId,
        referentAgentId: data.referentAgentId,
        revision,
        updatedAt: now,
      })
      .where(eq(cases.id, data.caseId))
      .returning();
    const statePath = statePathFromRow(locked.case.stateValue);
    const effects =
      data.referentAgentId && data.referentAgentId !== call.actor.id
        ? [{ type: engineJobNames.caseAssigned, params: { agentId: data.referentAgentId } }]
        : [];
    await recordStep(
      tx,
      { kind: 'journey', caseId: data.caseId, referralId: null, revision, territorySettings: locked.territorySettings },
      {
        eventType: 'ASSIGN_REFERENT',
        payload: { referentOrganisationId: data.referentOrganisationId, referentAgentId: data.referentAgentId },
        fromState: statePath,
        outcome: {
          snapshot: locked.case.snapshot as Record<string, unknown>,
          stateValue: locked.case.stateValue as never,
          statePath,
          status: locked.case.stage,
          effects,
          timersToArm: [],
          timersToCancel: [],
          done: false,
          context: {},
        },
        machineVersion: locked.case.machineVersion,
        subjectUpdate: null,
      },
      call.actor,
      now,
      call.requestId,
    );
    return caseViewOf(updated as CaseRow);
  });
}

export async function getCaseView(db: Database, caseId: string): Promise<CaseView | null> {
  const [row] = await withActor(db, systemActor, (tx) => tx.select().from(cases).where(eq(cases.id, caseId)));
  return row ? caseViewOf(row) : null;
}

export async function getReferralView(db: Database, referralId: string): Promise<ReferralView | null> {
  const [row] = await withActor(db, systemActor, (tx) => tx.select().from(referrals).where(eq(referrals.id, referralId)));
  return row ? referralViewOf(row) : null;
}
