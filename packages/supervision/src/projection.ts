import { calendarDaysBetween, monthOf, workingDaysBetween } from '@parcours/calendar';
import { isFinalReferralStatus } from '@parcours/journey';
import type { CountMeasure, DayKind, DelayStage } from './indicators.ts';

/**
 * The fold from the journey's log (and the contacts and assessments beside it) to supervision's aggregates.
 * Pure: the store feeds it rows in commit order and writes what it returns. Each fact is counted once,
 * when it becomes known (a delay in the month of the event that completes it), so folding the whole log from
 * an empty state (a rebuild) and folding it batch by batch (the worker) give the same aggregates.
 */

/** One row of `case_events`, as the fold needs it (codes and ids only, like the log). */
export interface LoggedEvent {
  caseId: string;
  referralId: string | null;
  eventType: string;
  payload: Record<string, unknown>;
  toState: string;
  actorOrganisationId: string | null;
  at: Date;
}

/** What the fold needs of a case that its log does not say, read when its `OPEN` is folded. */
export interface CaseAttributes {
  territoryId: string;
  entryOrganisationId: string;
  channel: string;
  /** INSEE code of the primary person's commune, or '' */
  commune: string;
}

/** What the fold needs of a referral that its log does not say. */
export interface ReferralAttributes {
  partnerOrganisationId: string;
  /** The first bundle of the directory service it was sent to, or '' */
  bundle: string;
}

export interface CaseFacts extends CaseAttributes {
  caseId: string;
  referentOrganisationId: string;
  openedAt: Date;
  firstContactAt: Date | null;
  assessmentCompletedAt: Date | null;
  firstReferralSentAt: Date | null;
  firstAppointmentAt: Date | null;
  closedAt: Date | null;
  closureReason: string | null;
  /** Set from a handover to another organisation until an agent of that organisation acts on the case. */
  handoverAt: Date | null;
  /** The journey's stage (`reception` … `closed`), since when, and since when past its deadline. */
  stage: string;
  stageSince: Date;
  stageOverdueAt: Date | null;
}

export interface ReferralFacts extends ReferralAttributes {
  referralId: string;
  caseId: string;
  sentAt: Date | null;
  /** When its reminder / escalation deadline fell due while it awaited an answer. */
  remindedAt: Date | null;
  escalatedAt: Date | null;
  answeredAt: Date | null;
  acceptedAt: Date | null;
  firstAppointmentAt: Date | null;
  endedAt: Date | null;
  finalStatus: string | null;
}

/** A first-level contact row (`contacts`), at its current version. */
export interface ContactRow {
  contactId: string;
  territoryId: string;
  organisationId: string;
  channel: string;
  topic: string;
  outcome: string;
  commune: string;
  caseId: string | null;
  at: Date;
}

export interface ContactFacts {
  contactId: string;
  caseId: string | null;
}

/** A potential right of the current assessment of a case, as `assessments.potential_rights` holds it. */
export interface RightRow {
  right: string;
  status: string;
  nonTakeUpReason: string | null;
}

/** An assessment row (`assessments`), at its current version. */
export interface AssessmentRow {
  assessmentId: string;
  caseId: string;
  status: string;
  potentialRights: readonly RightRow[];
}

export interface RightFacts {
  caseId: string;
  right: string;
  assessmentId: string;
  status: string;
  nonTakeUpReason: string | null;
}

export interface DelayCell {
  territoryId: string;
  month: string;
  stage: DelayStage;
  entryOrganisationId: string;
  partnerOrganisationId: string;
  bundle: string;
  channel: string;
  dayKind: DayKind;
  days: number;
}

export interface CountCell {
  territoryId: string;
  month: string;
  measure: CountMeasure;
  entryOrganisationId: string;
  partnerOrganisationId: string;
  bundle: string;
  channel: string;
  commune: string;
  code: string;
  detail: string;
}

/** The facts the fold reads and writes; the store loads the batch's facts into it and saves the changed ones. */
export interface ProjectionState {
  cases: Map<string, CaseFacts>;
  referrals: Map<string, ReferralFacts>;
  contacts: Map<string, ContactFacts>;
  /** Keyed `${caseId}:${right}` */
  rights: Map<string, RightFacts>;
  changedCases: Set<string>;
  changedReferrals: Set<string>;
  changedContacts: Set<string>;
  /** Keys of `rights` changed, deleted ones included (absent from the map). */
  changedRights: Set<string>;
}

/** Increments to add to the aggregates, keyed by the cell's dimensions (see `cellKeyOf`). */
export interface Increments {
  delays: Map<string, { cell: DelayCell; count: number }>;
  counts: Map<string, { cell: CountCell; count: number }>;
}

export function emptyProjectionState(): ProjectionState {
  return {
    cases: new Map(),
    referrals: new Map(),
    contacts: new Map(),
    rights: new Map(),
    changedCases: new Set(),
    changedReferrals: new Set(),
    changedContacts: new Set(),
    changedRights: new Set(),
  };
}

export function emptyIncrements(): Increments {
  return { delays: new Map(), counts: new Map() };
}

/** A stable key of a cell's dimensions, in declaration order. */
export function cellKeyOf(cell: DelayCell | CountCell): string {
  return Object.values(cell).join('\u001f');
}

/**
 * The value of the bundle and channel dimensions in the cells that sum over all of them. Every fact is
 * counted four times — (bundle, channel), (bundle, all), (all, channel), (all, all) — so that a report
 * without one of these filters reads pre-summed cells instead of adding up every bundle and channel.
 */
export const allValues = '*';

function rolledUp<C extends { bundle: string; channel: string }>(cell: C): C[] {
  return [
    cell,
    { ...cell, channel: allValues },
    { ...cell, bundle: allValues },
    { ...cell, bundle: allValues, channel: allValues },
  ];
}

function addDelay(increments: Increments, base: Omit<DelayCell, 'dayKind' | 'days'>, from: Date, to: Date): void {
  const measures: [DayKind, number][] = [
    ['working', Math.max(0, workingDaysBetween(from, to))],
    ['calendar', Math.max(0, calendarDaysBetween(from, to))],
  ];
  for (const [dayKind, days] of measures) {
    for (const cell of rolledUp<DelayCell>({ ...base, dayKind, days })) {
      const key = cellKeyOf(cell);
      const entry = increments.delays.get(key);
      if (entry) entry.count += 1;
      else increments.delays.set(key, { cell, count: 1 });
    }
  }
}

function addCount(increments: Increments, base: CountCell, count: number): void {
  for (const cell of rolledUp(base)) {
    const key = cellKeyOf(cell);
    const entry = increments.counts.get(key);
    if (entry) entry.count += count;
    else increments.counts.set(key, { cell, count });
  }
}

const stringOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/** `active.assessment` → `assessment`; `suspended`, `closed` as they are. */
const stageOf = (statePath: string): string => statePath.replace(/^active\./, '');

/** The journey's stage deadlines (`xstate.after.<delay>.…`) and the referral's answer deadlines. */
const stageDeadlines = ['receptionDue', 'assessmentDue', 'orientationDue'];
const delayOfTimerEvent = (eventType: string): string | null =>
  eventType.startsWith('xstate.after.') ? (eventType.split('.')[2] ?? null) : null;

function caseDelay(facts: CaseFacts, stage: DelayStage, at: Date, partner = '', bundle = '') {
  return {
    territoryId: facts.territoryId,
    month: monthOf(at),
    stage,
    entryOrganisationId: facts.entryOrganisationId,
    partnerOrganisationId: partner,
    bundle,
    channel: facts.channel,
  };
}

function caseCount(facts: CaseFacts, measure: CountMeasure, month: string, extra: Partial<CountCell> = {}): CountCell {
  return {
    territoryId: facts.territoryId,
    month,
    measure,
    entryOrganisationId: facts.entryOrganisationId,
    partnerOrganisationId: '',
    bundle: '',
    channel: facts.channel,
    commune: facts.commune,
    code: '',
    detail: '',
    ...extra,
  };
}

/**
 * Folds one logged event. `attributes.case` is required for a case's `OPEN`, `attributes.referral` the
 * first time a referral is seen; an event of a case whose opening was never folded is ignored.
 */
export function projectEvent(
  state: ProjectionState,
  event: LoggedEvent,
  attributes: { case?: CaseAttributes; referral?: ReferralAttributes },
  increments: Increments,
): void {
  if (event.referralId === null && event.eventType === 'OPEN') {
    if (state.cases.has(event.caseId) || !attributes.case) return;
    const facts: CaseFacts = {
      ...attributes.case,
      caseId: event.caseId,
      // The référent at opening is in the OPEN event since issue 17; before, it was the entry organisation.
      referentOrganisationId: stringOf(event.payload.referentOrganisationId) || attributes.case.entryOrganisationId,
      stage: stageOf(event.toState),
      stageSince: event.at,
      stageOverdueAt: null,
      openedAt: event.at,
      firstContactAt: null,
      assessmentCompletedAt: null,
      firstReferralSentAt: null,
      firstAppointmentAt: null,
      closedAt: null,
      closureReason: null,
      handoverAt: null,
    };
    state.cases.set(event.caseId, facts);
    state.changedCases.add(event.caseId);
    addCount(increments, caseCount(facts, 'case_opened', monthOf(event.at)), 1);
    return;
  }
  const facts = state.cases.get(event.caseId);
  if (!facts) return;
  let caseChanged = false;

  // A handover is picked up by the first action of an agent of the new référent organisation.
  if (facts.handoverAt && event.actorOrganisationId === facts.referentOrganisationId) {
    addDelay(
      increments,
      caseDelay(facts, 'handover_to_pickup', event.at, facts.referentOrganisationId),
      facts.handoverAt,
      event.at,
    );
    facts.handoverAt = null;
    caseChanged = true;
  }

  if (event.referralId === null) {
    const stage = stageOf(event.toState);
    if (stage !== facts.stage) {
      facts.stage = stage;
      facts.stageSince = event.at;
      facts.stageOverdueAt = null;
      caseChanged = true;
    } else if (stageDeadlines.includes(delayOfTimerEvent(event.eventType) ?? '') && !facts.stageOverdueAt) {
      facts.stageOverdueAt = event.at;
      caseChanged = true;
    }
    if (event.eventType === 'COMPLETE_ASSESSMENT' && !facts.assessmentCompletedAt) {
      facts.assessmentCompletedAt = event.at;
      addDelay(increments, caseDelay(facts, 'case_to_assessment', event.at), facts.openedAt, event.at);
      caseChanged = true;
    }
    if (event.eventType === 'ASSIGN_REFERENT') {
      const next = stringOf(event.payload.referentOrganisationId);
      if (next && next !== facts.referentOrganisationId) {
        facts.referentOrganisationId = next;
        // Taken over by the new organisation itself: picked up at once.
        if (event.actorOrganisationId === next) {
          addDelay(increments, caseDelay(facts, 'handover_to_pickup', event.at, next), event.at, event.at);
          facts.handoverAt = null;
        } else {
          facts.handoverAt = event.at;
        }
        caseChanged = true;
      }
    }
    if (event.toState === 'closed' && !facts.closedAt) {
      facts.closedAt = event.at;
      facts.closureReason =
        stringOf(event.payload.reason) || (event.eventType.includes('lostContactClosure') ? 'lost_contact' : 'other');
      addCount(increments, caseCount(facts, 'case_closed', monthOf(event.at), { code: facts.closureReason }), 1);
      caseChanged = true;
    }
    if (caseChanged) state.changedCases.add(facts.caseId);
    return;
  }

  let referral = state.referrals.get(event.referralId);
  if (!referral) {
    if (!attributes.referral) return;
    referral = {
      ...attributes.referral,
      referralId: event.referralId,
      caseId: event.caseId,
      sentAt: null,
      remindedAt: null,
      escalatedAt: null,
      answeredAt: null,
      acceptedAt: null,
      firstAppointmentAt: null,
      endedAt: null,
      finalStatus: null,
    };
    state.referrals.set(event.referralId, referral);
  }
  const partner = referral.partnerOrganisationId;
  const bundle = referral.bundle;
  let referralChanged = true;

  switch (event.eventType) {
    case 'SEND': {
      if (referral.sentAt) {
        referralChanged = false;
        break;
      }
      referral.sentAt = event.at;
      addCount(
        increments,
        caseCount(facts, 'referral_sent', monthOf(event.at), { partnerOrganisationId: partner, bundle, commune: '' }),
        1,
      );
      if (!facts.firstReferralSentAt) {
        facts.firstReferralSentAt = event.at;
        caseChanged = true;
        addDelay(increments, caseDelay(facts, 'case_to_orientation', event.at), facts.openedAt, event.at);
        if (facts.assessmentCompletedAt) {
          addDelay(increments, caseDelay(facts, 'assessment_to_referral', event.at), facts.assessmentCompletedAt, event.at);
        }
      }
      break;
    }
    case 'ACCEPT':
    case 'DECLINE':
    case 'REDIRECT': {
      if (referral.sentAt && !referral.answeredAt) {
        referral.answeredAt = event.at;
        addDelay(increments, caseDelay(facts, 'referral_to_answer', event.at, partner, bundle), referral.sentAt, event.at);
      }
      if (event.eventType === 'ACCEPT' && !referral.acceptedAt) referral.acceptedAt = event.at;
      break;
    }
    case 'SET_APPOINTMENT': {
      const appointment = new Date(stringOf(event.payload.at));
      if (Number.isNaN(appointment.getTime()) || referral.firstAppointmentAt) {
        referralChanged = false;
        break;
      }
      referral.firstAppointmentAt = appointment;
      if (referral.acceptedAt) {
        addDelay(
          increments,
          caseDelay(facts, 'accepted_to_appointment', event.at, partner, bundle),
          referral.acceptedAt,
          appointment,
        );
      }
      if (!facts.firstAppointmentAt) {
        facts.firstAppointmentAt = appointment;
        caseChanged = true;
        addDelay(increments, caseDelay(facts, 'case_to_appointment', event.at, partner, bundle), facts.openedAt, appointment);
      }
      break;
    }
    default: {
      const delay = delayOfTimerEvent(event.eventType);
      if (delay === 'referralReminder' && !referral.remindedAt && !referral.answeredAt) referral.remindedAt = event.at;
      else if (delay === 'referralEscalation' && !referral.escalatedAt && !referral.answeredAt) referral.escalatedAt = event.at;
      else referralChanged = false;
    }
  }

  // A draft cancelled before it was sent never reached anyone: it is not a loss.
  if (isFinalReferralStatus(event.toState) && !referral.finalStatus && referral.sentAt) {
    referral.finalStatus = event.toState;
    referral.endedAt = event.at;
    referralChanged = true;
    addCount(
      increments,
      caseCount(facts, 'referral_ended', monthOf(event.at), {
        partnerOrganisationId: partner,
        bundle,
        commune: '',
        code: event.toState,
        detail: event.toState === 'declined' ? stringOf(event.payload.reason) : '',
      }),
      1,
    );
  }
  if (referralChanged) state.changedReferrals.add(referral.referralId);
  if (caseChanged) state.changedCases.add(facts.caseId);
}

/** Folds a contact at its current version: counted when first seen, measured when attached to its case. */
export function projectContact(state: ProjectionState, contact: ContactRow, increments: Increments): void {
  let facts = state.contacts.get(contact.contactId);
  if (!facts) {
    facts = { contactId: contact.contactId, caseId: null };
    state.contacts.set(contact.contactId, facts);
    state.changedContacts.add(contact.contactId);
    addCount(
      increments,
      {
        territoryId: contact.territoryId,
        month: monthOf(contact.at),
        measure: 'contact',
        entryOrganisationId: contact.organisationId,
        partnerOrganisationId: '',
        bundle: contact.topic,
        channel: contact.channel,
        commune: contact.commune,
        code: contact.outcome,
        detail: '',
      },
      1,
    );
  }
  if (contact.caseId && !facts.caseId) {
    facts.caseId = contact.caseId;
    state.changedContacts.add(contact.contactId);
    const caseFacts = state.cases.get(contact.caseId);
    if (caseFacts && !caseFacts.firstContactAt) {
      caseFacts.firstContactAt = contact.at;
      state.changedCases.add(caseFacts.caseId);
      addDelay(increments, caseDelay(caseFacts, 'contact_to_case', caseFacts.openedAt), contact.at, caseFacts.openedAt);
    }
  }
}

/** The funnel steps a right's status counts in: detected → requested → opened / refused, or not requested. */
export function funnelMeasuresOf(status: string): CountMeasure[] {
  switch (status) {
    case 'requested':
      return ['right_detected', 'right_requested'];
    case 'opened':
      return ['right_detected', 'right_requested', 'right_opened'];
    case 'refused':
      return ['right_detected', 'right_requested', 'right_refused'];
    case 'not_requested':
      return ['right_detected', 'right_not_requested'];
    default:
      return ['right_detected'];
  }
}

function countRight(facts: CaseFacts, right: RightFacts, sign: 1 | -1, increments: Increments): void {
  for (const measure of funnelMeasuresOf(right.status)) {
    addCount(
      increments,
      caseCount(facts, measure, monthOf(facts.openedAt), {
        code: right.right,
        detail: measure === 'right_not_requested' ? (right.nonTakeUpReason ?? '') : '',
      }),
      sign,
    );
  }
}

/**
 * Folds an assessment at its current version. A case's funnel is its current completed assessment's
 * potential rights, in the month the case was opened (cohorts): a newer assessment replaces the rights of
 * the one it supersedes, a follow-up moves a right from one step to the next (−1 here, +1 there).
 */
export function projectAssessment(
  state: ProjectionState,
  assessment: AssessmentRow,
  caseRights: readonly string[],
  increments: Increments,
): void {
  const facts = state.cases.get(assessment.caseId);
  if (!facts) return;
  const keyOf = (right: string) => `${assessment.caseId}:${right}`;
  const remove = (key: string) => {
    const old = state.rights.get(key);
    if (!old) return;
    countRight(facts, old, -1, increments);
    state.rights.delete(key);
    state.changedRights.add(key);
  };
  if (assessment.status === 'superseded') {
    for (const right of caseRights) {
      if (state.rights.get(keyOf(right))?.assessmentId === assessment.assessmentId) remove(keyOf(right));
    }
    return;
  }
  if (assessment.status !== 'completed') return;
  const current = new Set(assessment.potentialRights.map((right) => right.right));
  for (const right of caseRights) if (!current.has(right)) remove(keyOf(right));
  for (const row of assessment.potentialRights) {
    const key = keyOf(row.right);
    const old = state.rights.get(key);
    const next: RightFacts = {
      caseId: assessment.caseId,
      right: row.right,
      assessmentId: assessment.assessmentId,
      status: row.status,
      nonTakeUpReason: row.status === 'not_requested' ? row.nonTakeUpReason : null,
    };
    if (old && old.status === next.status && old.nonTakeUpReason === next.nonTakeUpReason) {
      if (old.assessmentId !== next.assessmentId) {
        state.rights.set(key, next);
        state.changedRights.add(key);
      }
      continue;
    }
    if (old) countRight(facts, old, -1, increments);
    countRight(facts, next, 1, increments);
    state.rights.set(key, next);
    state.changedRights.add(key);
  }
}
