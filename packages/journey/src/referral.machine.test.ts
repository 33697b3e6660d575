import { describe, expect, it } from 'vitest';
import { journeySystemEventSchema } from './journey.machine.ts';
import { accept, start, step, throughJson, walk } from './persisted-run.test-support.ts';
import { finalReferralStatuses, type ReferralEvent, type ReferralStatus, referralEventSchema } from './referral.machine.ts';
import {
  allowedEventsOf,
  applyTransition,
  currentMachineVersion,
  type EventObject,
  journeyEventForReferral,
  startMachine,
  type TransitionOutcome,
} from './runtime.ts';
import { sampleOrganisationId } from './sample-events.ts';

const timers = {
  reminder: 'xstate.after.referralReminder.referral.awaitingAnswer',
  escalation: 'xstate.after.referralEscalation.referral.awaitingAnswer',
  expiry: 'xstate.after.referralExpiry.referral.awaitingAnswer',
} as const;
const allTimers = Object.values(timers);

const appointment = { type: 'SET_APPOINTMENT', at: '2025-03-12T09:30:00+01:00', mode: 'in_person' } as const;
const rescheduled = { type: 'SET_APPOINTMENT', at: '2025-03-19T14:00:00+01:00', mode: 'phone' } as const;

/** The shortest way from a draft to each status. */
const routeTo: Record<ReferralStatus, ReferralEvent[]> = {
  draft: [],
  sent: [{ type: 'SEND' }],
  seen: [{ type: 'SEND' }, { type: 'MARK_SEEN' }],
  underStudy: [{ type: 'SEND' }, { type: 'START_STUDY' }],
  accepted: [{ type: 'SEND' }, { type: 'ACCEPT' }],
  appointmentSet: [{ type: 'SEND' }, { type: 'ACCEPT' }, appointment],
  inProgress: [{ type: 'SEND' }, { type: 'ACCEPT' }, { type: 'START_SUPPORT' }],
  completed: [{ type: 'SEND' }, { type: 'ACCEPT' }, { type: 'START_SUPPORT' }, { type: 'COMPLETE', outcome: 'need_met' }],
  declined: [{ type: 'SEND' }, { type: 'DECLINE', reason: 'not_eligible' }],
  redirected: [{ type: 'SEND' }, { type: 'REDIRECT' }],
  noShow: [{ type: 'SEND' }, { type: 'ACCEPT' }, appointment, { type: 'REPORT_NO_SHOW' }],
  abandoned: [{ type: 'SEND' }, { type: 'ACCEPT' }, { type: 'ABANDON' }],
  expired: [{ type: 'SEND' }],
  cancelled: [{ type: 'CANCEL' }],
};
function at(status: ReferralStatus): TransitionOutcome {
  // Expiry has no person's event: the timer fires.
  if (status === 'expired') return accept('referral', walk('referral', routeTo.expired), { type: timers.expiry });
  return walk('referral', routeTo[status]);
}

const eventTypes = referralEventSchema.options.map((option) => option.shape.type.value);
const sampleEvent: Record<ReferralEvent['type'], ReferralEvent> = {
  SEND: { type: 'SEND' },
  MARK_SEEN: { type: 'MARK_SEEN' },
  START_STUDY: { type: 'START_STUDY' },
  ACCEPT: { type: 'ACCEPT' },
  DECLINE: { type: 'DECLINE', reason: 'service_full' },
  REDIRECT: { type: 'REDIRECT' },
  SET_APPOINTMENT: appointment,
  START_SUPPORT: { type: 'START_SUPPORT' },
  REPORT_NO_SHOW: { type: 'REPORT_NO_SHOW' },
  COMPLETE: { type: 'COMPLETE', outcome: 'rights_opened' },
  ABANDON: { type: 'ABANDON' },
  CANCEL: { type: 'CANCEL' },
};

const allowedEvents: Record<ReferralStatus, ReferralEvent['type'][]> = {
  draft: ['CANCEL', 'SEND'],
  sent: ['ACCEPT', 'CANCEL', 'DECLINE', 'MARK_SEEN', 'REDIRECT', 'START_STUDY'],
  seen: ['ACCEPT', 'CANCEL', 'DECLINE', 'REDIRECT', 'START_STUDY'],
  underStudy: ['ACCEPT', 'CANCEL', 'DECLINE', 'REDIRECT'],
  accepted: ['ABANDON', 'CANCEL', 'SET_APPOINTMENT', 'START_SUPPORT'],
  appointmentSet: ['ABANDON', 'CANCEL', 'REPORT_NO_SHOW', 'SET_APPOINTMENT', 'START_SUPPORT'],
  inProgress: ['ABANDON', 'COMPLETE'],
  completed: [],
  declined: [],
  redirected: [],
  noShow: [],
  abandoned: [],
  expired: [],
  cancelled: [],
};

const statuses = Object.keys(routeTo) as ReferralStatus[];
const awaiting = ['sent', 'seen', 'underStudy'] as const;
const allowedNow = (outcome: TransitionOutcome) =>
  allowedEventsOf('referral', currentMachineVersion.referral, throughJson(outcome.snapshot), new Set<string>(eventTypes));

describe('referral machine: drafting and sending', () => {
  it('when a referral is created, then it is a draft with no timer and an empty record', () => {
    const draft = start('referral');
    expect(draft.statePath).toBe('draft');
    expect(draft.status).toBe('draft');
    expect(draft.timersToArm).toEqual([]);
    expect(draft.effects).toEqual([]);
    expect(draft.context).toEqual({
      conditions: null,
      declineReason: null,
      suggestedOrganisationId: null,
      appointment: null,
      outcome: null,
    });
  });

  it.each(statuses)('when a referral at %s is stored as JSON and read back, then the snapshot is unchanged', (status) => {
    const outcome = at(status);
    expect(throughJson(outcome.snapshot)).toEqual(outcome.snapshot);
    expect(outcome.status).toBe(status);
  });

  it('when a draft is sent, then it awaits an answer with the reminder, escalation and expiry timers armed', () => {
    const next = accept('referral', at('draft'), { type: 'SEND' });
    expect(next.statePath).toBe('awaitingAnswer.sent');
    expect(next.status).toBe('sent');
    expect(next.timersToArm).toEqual([
      { timerId: timers.reminder, delayName: 'referralReminder' },
      { timerId: timers.escalation, delayName: 'referralEscalation' },
      { timerId: timers.expiry, delayName: 'referralExpiry' },
    ]);
    expect(next.timersToCancel).toEqual([]);
  });

  it('when a draft is cancelled, then it is cancelled without any timer', () => {
    const next = accept('referral', at('draft'), { type: 'CANCEL' });
    expect(next.status).toBe('cancelled');
    expect(next.done).toBe(true);
    expect(next.timersToArm).toEqual([]);
    expect(next.timersToCancel).toEqual([]);
  });
});

describe('referral machine: allowed and refused events', () => {
  it.each(statuses)('when a referral is at %s, then exactly the expected events are allowed', (status) => {
    expect(allowedNow(at(status))).toEqual(allowedEvents[status]);
  });

  const refused = statuses.flatMap((status) =>
    eventTypes.filter((type) => !allowedEvents[status].includes(type)).map((type) => [status, type] as const),
  );
  it.each(refused)('when a referral is at %s and %s is sent, then the event is refused (null)', (status, type) => {
    expect(step('referral', at(status), sampleEvent[type])).toBeNull();
  });

  const accepted = statuses.flatMap((status) => allowedEvents[status].map((type) => [status, type] as const));
  it.each(accepted)('when a referral is at %s and %s is sent, then the event is accepted', (status, type) => {
    expect(step('referral', at(status), sampleEvent[type])).not.toBeNull();
  });

  it.each(finalReferralStatuses)('when a referral is %s, then it is done and takes no event nor timer', (status) => {
    const final = at(status);
    expect(final.done).toBe(true);
    const everything: EventObject[] = [...Object.values(sampleEvent), ...allTimers.map((type) => ({ type }))];
    for (const event of everything) expect(step('referral', final, event)).toBeNull();
  });
});

describe('referral machine: the partner reads and studies', () => {
  it.each([
    ['sent', { type: 'MARK_SEEN' }, 'seen'],
    ['sent', { type: 'START_STUDY' }, 'underStudy'],
    ['seen', { type: 'START_STUDY' }, 'underStudy'],
  ] as const)('when a referral at %s gets %o, then it is %s and the answer deadlines keep running', (from, event, to) => {
    const next = accept('referral', at(from), event);
    expect(next.status).toBe(to);
    expect(next.statePath).toBe(`awaitingAnswer.${to}`);
    expect(next.timersToArm).toEqual([]);
    expect(next.timersToCancel).toEqual([]);
  });
});

describe('referral machine: the partner answers', () => {
  it.each(awaiting)(
    'when a referral at %s is accepted, then it is accepted and the three answer timers are cancelled',
    (from) => {
      const next = accept('referral', at(from), { type: 'ACCEPT' });
      expect(next.status).toBe('accepted');
      expect(next.context.conditions).toBeNull();
      expect(next.timersToArm).toEqual([]);
      expect(next.timersToCancel).toEqual(allTimers);
    },
  );

  it('when a referral is accepted under conditions, then the conditions are recorded', () => {
    const next = accept('referral', at('seen'), { type: 'ACCEPT', conditions: 'Venir avec un justificatif de domicile' });
    expect(next.status).toBe('accepted');
    expect(next.context.conditions).toBe('Venir avec un justificatif de domicile');
  });

  it.each(awaiting)(
    'when a referral at %s is declined, then it is declined with the coded reason and the timers are cancelled',
    (from) => {
      const next = accept('referral', at(from), { type: 'DECLINE', reason: 'out_of_territory' });
      expect(next.status).toBe('declined');
      expect(next.done).toBe(true);
      expect(next.context.declineReason).toBe('out_of_territory');
      expect(next.timersToCancel).toEqual(allTimers);
    },
  );

  it('when a decline has no coded reason, then the schema refuses it', () => {
    expect(referralEventSchema.safeParse({ type: 'DECLINE' }).success).toBe(false);
    expect(referralEventSchema.safeParse({ type: 'DECLINE', reason: 'because' }).success).toBe(false);
  });

  it.each(awaiting)(
    'when a referral at %s is redirected, then it is redirected with the suggested organisation and the timers are cancelled',
    (from) => {
      const next = accept('referral', at(from), { type: 'REDIRECT', suggestedOrganisationId: sampleOrganisationId });
      expect(next.status).toBe('redirected');
      expect(next.done).toBe(true);
      expect(next.context.suggestedOrganisationId).toBe(sampleOrganisationId);
      expect(next.timersToCancel).toEqual(allTimers);
    },
  );

  it('when a referral is redirected without a suggestion, then no organisation is recorded', () => {
    const next = accept('referral', at('sent'), { type: 'REDIRECT' });
    expect(next.context.suggestedOrganisationId).toBeNull();
  });

  it.each(awaiting)(
    'when a referral at %s is cancelled by its sender, then it is cancelled and the timers are cancelled',
    (from) => {
      const next = accept('referral', at(from), { type: 'CANCEL' });
      expect(next.status).toBe('cancelled');
      expect(next.timersToCancel).toEqual(allTimers);
    },
  );
});

describe('referral machine: answer deadlines', () => {
  it.each(awaiting)(
    'when the reminder delay passes at %s, then the partner is reminded and the referral does not move',
    (from) => {
      const before = at(from);
      const next = accept('referral', before, { type: timers.reminder });
      expect(next.statePath).toBe(before.statePath);
      expect(next.context).toEqual(before.context);
      expect(next.effects).toEqual([{ type: 'effect.remindPartner', params: {} }]);
      expect(next.timersToArm).toEqual([]);
      expect(next.timersToCancel).toEqual([]);
    },
  );

  it.each(awaiting)(
    'when the escalation delay passes at %s, then the sender’s supervisor is told and the referral does not move',
    (from) => {
      const before = at(from);
      const next = accept('referral', before, { type: timers.escalation });
      expect(next.statePath).toBe(before.statePath);
      expect(next.effects).toEqual([{ type: 'effect.escalateToSenderSupervisor', params: {} }]);
      expect(next.timersToArm).toEqual([]);
      expect(next.timersToCancel).toEqual([]);
    },
  );

  it.each(awaiting)(
    'when the expiry delay passes at %s, then the referral expires and the other answer timers are cancelled',
    (from) => {
      const next = accept('referral', at(from), { type: timers.expiry });
      expect(next.status).toBe('expired');
      expect(next.done).toBe(true);
      expect(next.effects).toEqual([]);
      expect(next.timersToArm).toEqual([]);
      expect(next.timersToCancel).toEqual(expect.arrayContaining([timers.reminder, timers.escalation]));
    },
  );

  it('when reminder then escalation pass, then the referral still expires afterwards', () => {
    const reminded = accept('referral', at('seen'), { type: timers.reminder });
    const escalated = accept('referral', reminded, { type: timers.escalation });
    const expired = accept('referral', escalated, { type: timers.expiry });
    expect(expired.status).toBe('expired');
  });

  it.each(['draft', 'accepted', 'appointmentSet', 'inProgress'] as const)(
    'when a referral is at %s, then an answer timer is stale and ignored (null)',
    (status) => {
      for (const timer of allTimers) expect(step('referral', at(status), { type: timer })).toBeNull();
    },
  );
});

describe('referral machine: after acceptance', () => {
  it('when an appointment is set, then it is recorded with its date and mode', () => {
    const next = accept('referral', at('accepted'), appointment);
    expect(next.status).toBe('appointmentSet');
    expect(next.context.appointment).toEqual({ at: appointment.at, mode: appointment.mode });
    expect(next.timersToArm).toEqual([]);
  });

  it('when an appointment is set twice, then the referral stays with the appointment rescheduled', () => {
    const next = accept('referral', at('appointmentSet'), rescheduled);
    expect(next.status).toBe('appointmentSet');
    expect(next.context.appointment).toEqual({ at: rescheduled.at, mode: rescheduled.mode });
    expect(next.timersToArm).toEqual([]);
    expect(next.timersToCancel).toEqual([]);
  });

  it('when an appointment date has no offset or the mode is unknown, then the schema refuses it', () => {
    expect(referralEventSchema.safeParse({ ...appointment, at: '2025-03-12 09:30' }).success).toBe(false);
    expect(referralEventSchema.safeParse({ ...appointment, mode: 'carrier_pigeon' }).success).toBe(false);
  });

  it.each(['accepted', 'appointmentSet'] as const)('when support starts at %s, then it is in progress', (from) => {
    expect(accept('referral', at(from), { type: 'START_SUPPORT' }).status).toBe('inProgress');
  });

  it('when the person does not come to the appointment, then it is a no-show and keeps the appointment', () => {
    const next = accept('referral', at('appointmentSet'), { type: 'REPORT_NO_SHOW' });
    expect(next.status).toBe('noShow');
    expect(next.done).toBe(true);
    expect(next.context.appointment).toEqual({ at: appointment.at, mode: appointment.mode });
  });

  it.each(['accepted', 'appointmentSet', 'inProgress'] as const)(
    'when the person abandons at %s, then it is abandoned',
    (from) => {
      const next = accept('referral', at(from), { type: 'ABANDON' });
      expect(next.status).toBe('abandoned');
      expect(next.done).toBe(true);
    },
  );

  it.each(['accepted', 'appointmentSet'] as const)('when the sender cancels at %s, then it is cancelled', (from) => {
    expect(accept('referral', at(from), { type: 'CANCEL' }).status).toBe('cancelled');
  });

  it('when support is completed, then it is completed with its outcome and the whole record is kept', () => {
    const done = walk('referral', [
      { type: 'SEND' },
      { type: 'ACCEPT', conditions: 'Sur rendez-vous uniquement' },
      appointment,
      { type: 'START_SUPPORT' },
      { type: 'COMPLETE', outcome: 'rights_opened' },
    ]);
    expect(done.status).toBe('completed');
    expect(done.done).toBe(true);
    expect(done.context).toEqual({
      conditions: 'Sur rendez-vous uniquement',
      declineReason: null,
      suggestedOrganisationId: null,
      appointment: { at: appointment.at, mode: appointment.mode },
      outcome: 'rights_opened',
    });
  });
});

describe('journeyEventForReferral', () => {
  const referralId = '3f9a2c4e-8b1d-4e6f-9a2b-1c3d5e7f9a0b';

  it('when a draft is sent, then the journey learns the referral was sent', () => {
    const next = accept('referral', at('draft'), { type: 'SEND' });
    expect(journeyEventForReferral(referralId, 'draft', next)).toEqual({ type: 'REFERRAL_SENT', referralId });
  });

  it('when a draft is cancelled, then the journey learns nothing (it never counted it)', () => {
    const next = accept('referral', at('draft'), { type: 'CANCEL' });
    expect(journeyEventForReferral(referralId, 'draft', next)).toBeNull();
  });

  it('when a referral is completed, then the journey learns it closed successfully with its outcome', () => {
    const next = accept('referral', at('inProgress'), { type: 'COMPLETE', outcome: 'partially_met' });
    expect(journeyEventForReferral(referralId, 'inProgress', next)).toEqual({
      type: 'REFERRAL_CLOSED',
      referralId,
      status: 'completed',
      successful: true,
      outcome: 'partially_met',
    });
  });

  it.each([
    ['sent', { type: 'DECLINE', reason: 'service_full' }, 'declined'],
    ['seen', { type: 'REDIRECT' }, 'redirected'],
    ['appointmentSet', { type: 'REPORT_NO_SHOW' }, 'noShow'],
    ['inProgress', { type: 'ABANDON' }, 'abandoned'],
    ['underStudy', { type: timers.expiry }, 'expired'],
    ['accepted', { type: 'CANCEL' }, 'cancelled'],
  ] as const)('when a referral at %s gets %o, then the journey learns it closed unsuccessfully as %s', (from, event, status) => {
    const next = accept('referral', at(from), event);
    expect(next.status).toBe(status);
    expect(journeyEventForReferral(referralId, from, next)).toEqual({
      type: 'REFERRAL_CLOSED',
      referralId,
      status,
      successful: false,
    });
  });

  it.each([
    ['sent', { type: 'MARK_SEEN' }],
    ['seen', { type: 'START_STUDY' }],
    ['underStudy', { type: 'ACCEPT' }],
    ['accepted', appointment],
    ['appointmentSet', rescheduled],
    ['appointmentSet', { type: 'START_SUPPORT' }],
  ] as const)('when a referral at %s moves on with %o, then the journey learns nothing', (from, event) => {
    const next = accept('referral', at(from), event);
    expect(journeyEventForReferral(referralId, from, next)).toBeNull();
  });

  it('when the journey event is built, then the journey schema accepts it', () => {
    const sent = journeyEventForReferral(referralId, 'draft', accept('referral', at('draft'), { type: 'SEND' }));
    const closed = journeyEventForReferral(referralId, 'inProgress', at('completed'));
    expect(journeySystemEventSchema.safeParse(sent).success).toBe(true);
    expect(journeySystemEventSchema.safeParse(closed).success).toBe(true);
  });
});

describe('referral appointments at a reception point', () => {
  const pointId = '0b9a7c5e-3d1f-4e2a-9b8c-7d6e5f4a3b2c';
  const accepted = () => {
    let outcome = startMachine('referral');
    for (const event of [{ type: 'SEND' }, { type: 'ACCEPT' }]) {
      outcome = applyTransition('referral', 1, outcome.snapshot, event) ?? outcome;
    }
    return outcome;
  };

  it('when a visio appointment names its reception point, then the point is kept with the appointment', () => {
    const event = referralEventSchema.parse({
      type: 'SET_APPOINTMENT',
      at: '2026-12-01T10:00:00+01:00',
      mode: 'visio',
      receptionPointId: pointId,
    });
    const set = applyTransition('referral', 1, JSON.parse(JSON.stringify(accepted().snapshot)), event);
    expect(set?.context.appointment).toEqual({ at: '2026-12-01T10:00:00+01:00', mode: 'visio', receptionPointId: pointId });
  });

  it('when a visio appointment names no reception point, then the event is invalid', () => {
    expect(
      referralEventSchema.safeParse({ type: 'SET_APPOINTMENT', at: '2026-12-01T10:00:00+01:00', mode: 'visio' }).success,
    ).toBe(false);
  });

  it('when an in-person appointment is set as in version 1, then the context is exactly as before', () => {
    const set = applyTransition('referral', 1, accepted().snapshot, {
      type: 'SET_APPOINTMENT',
      at: '2026-12-01T10:00:00+01:00',
      mode: 'in_person',
    });
    expect(set?.context.appointment).toEqual({ at: '2026-12-01T10:00:00+01:00', mode: 'in_person' });
  });
});
