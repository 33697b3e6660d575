import { describe, expect, it } from 'vitest';
import { type JourneyAgentEvent, type JourneyEvent, type JourneyStage, journeyAgentEventSchema } from './journey.machine.ts';
import { accept, start, step, throughJson, walk } from './persisted-run.test-support.ts';
import { allowedEventsOf, currentMachineVersion, type EventObject, type TransitionOutcome } from './runtime.ts';
import { sampleReferralIds } from './sample-events.ts';

const first = sampleReferralIds.first;
const second = sampleReferralIds.second;

const timers = {
  reception: 'xstate.after.receptionDue.journey.active.reception',
  assessment: 'xstate.after.assessmentDue.journey.active.assessment',
  orientation: 'xstate.after.orientationDue.journey.active.orientation',
  suspended: 'xstate.after.lostContactClosure.journey.suspended',
} as const;
const allTimers = Object.values(timers);

const sent = (referralId: string): JourneyEvent => ({ type: 'REFERRAL_SENT', referralId });
const failed = (referralId: string): JourneyEvent => ({
  type: 'REFERRAL_CLOSED',
  referralId,
  status: 'declined',
  successful: false,
});
const completed = (referralId: string): JourneyEvent => ({
  type: 'REFERRAL_CLOSED',
  referralId,
  status: 'completed',
  successful: true,
  outcome: 'need_met',
});

/** The shortest way from opening a case to each stage. */
const routeTo: Record<JourneyStage, JourneyEvent[]> = {
  reception: [],
  assessment: [{ type: 'START_ASSESSMENT' }],
  orientation: [{ type: 'START_ASSESSMENT' }, { type: 'COMPLETE_ASSESSMENT' }],
  followUp: [{ type: 'START_ASSESSMENT' }, { type: 'COMPLETE_ASSESSMENT' }, sent(first)],
  caseManagement: [{ type: 'START_ASSESSMENT' }, { type: 'ENTER_CASE_MANAGEMENT' }],
  suspended: [{ type: 'SUSPEND', reason: 'lost_contact' }],
  closed: [{ type: 'CLOSE', reason: 'information_given' }],
};
const at = (stage: JourneyStage) => walk('journey', routeTo[stage]);

const activeStages = ['reception', 'assessment', 'orientation', 'followUp', 'caseManagement'] as const;
/** The deadline each stage arms on entry, if any. */
const stageTimer: Record<(typeof activeStages)[number], string | null> = {
  reception: timers.reception,
  assessment: timers.assessment,
  orientation: timers.orientation,
  followUp: null,
  caseManagement: null,
};

const agentEventTypes = journeyAgentEventSchema.options.map((option) => option.shape.type.value);
const sampleAgentEvent: Record<JourneyAgentEvent['type'], JourneyAgentEvent> = {
  START_ASSESSMENT: { type: 'START_ASSESSMENT' },
  COMPLETE_ASSESSMENT: { type: 'COMPLETE_ASSESSMENT' },
  ENTER_CASE_MANAGEMENT: { type: 'ENTER_CASE_MANAGEMENT' },
  END_CASE_MANAGEMENT: { type: 'END_CASE_MANAGEMENT' },
  REORIENT: { type: 'REORIENT' },
  SUSPEND: { type: 'SUSPEND', reason: 'person_request' },
  RESUME: { type: 'RESUME' },
  CLOSE: { type: 'CLOSE', reason: 'needs_met' },
};

/** What an agent may do at each stage; everything else is refused. */
const allowedAgentEvents: Record<JourneyStage, JourneyAgentEvent['type'][]> = {
  reception: ['CLOSE', 'START_ASSESSMENT', 'SUSPEND'],
  assessment: ['CLOSE', 'COMPLETE_ASSESSMENT', 'ENTER_CASE_MANAGEMENT', 'SUSPEND'],
  orientation: ['CLOSE', 'ENTER_CASE_MANAGEMENT', 'SUSPEND'],
  followUp: ['CLOSE', 'ENTER_CASE_MANAGEMENT', 'REORIENT', 'SUSPEND'],
  caseManagement: ['CLOSE', 'END_CASE_MANAGEMENT', 'SUSPEND'],
  suspended: ['CLOSE', 'RESUME'],
  closed: [],
};
/** Stages where the engine's referral events are taken (recorded, or moving the case). */
const stagesTakingReferralEvents: JourneyStage[] = ['orientation', 'followUp', 'caseManagement', 'suspended'];

const stages = Object.keys(routeTo) as JourneyStage[];
const sendable = new Set<string>(agentEventTypes);
const allowedNow = (outcome: TransitionOutcome) =>
  allowedEventsOf('journey', currentMachineVersion.journey, throughJson(outcome.snapshot), sendable);

describe('journey machine: opening and persistence', () => {
  it('when a case opens, then it is at reception with the reception deadline armed and nothing to do yet', () => {
    const opened = start('journey');
    expect(opened.statePath).toBe('active.reception');
    expect(opened.status).toBe('reception');
    expect(opened.timersToArm).toEqual([{ timerId: timers.reception, delayName: 'receptionDue' }]);
    expect(opened.timersToCancel).toEqual([]);
    expect(opened.effects).toEqual([]);
    expect(opened.done).toBe(false);
    expect(opened.context).toEqual({
      activeReferralIds: [],
      completedReferralIds: [],
      failedReferralIds: [],
      reorientations: 0,
      suspensionReason: null,
      resumeStage: null,
      closureReason: null,
    });
  });

  it.each(stages)('when a case at %s is stored as JSON and read back, then the snapshot is unchanged', (stage) => {
    const outcome = at(stage);
    expect(throughJson(outcome.snapshot)).toEqual(outcome.snapshot);
    expect(outcome.status).toBe(stage);
  });
});

describe('journey machine: allowed and refused events', () => {
  it.each(stages)('when a case is at %s, then exactly the expected agent events are allowed', (stage) => {
    expect(allowedNow(at(stage))).toEqual(allowedAgentEvents[stage]);
  });

  const refused = stages.flatMap((stage) =>
    agentEventTypes.filter((type) => !allowedAgentEvents[stage].includes(type)).map((type) => [stage, type] as const),
  );
  it.each(refused)('when a case is at %s and an agent sends %s, then the event is refused (null)', (stage, type) => {
    expect(step('journey', at(stage), sampleAgentEvent[type])).toBeNull();
  });

  const accepted = stages.flatMap((stage) => allowedAgentEvents[stage].map((type) => [stage, type] as const));
  it.each(accepted)('when a case is at %s and an agent sends %s, then the event is accepted', (stage, type) => {
    expect(step('journey', at(stage), sampleAgentEvent[type])).not.toBeNull();
  });

  const referralEvents: JourneyEvent[] = [sent(second), failed(first), completed(first)];
  it.each(stages.filter((stage) => !stagesTakingReferralEvents.includes(stage)))(
    'when a case is at %s, then referral news from the engine is refused (null)',
    (stage) => {
      for (const event of referralEvents) expect(step('journey', at(stage), event)).toBeNull();
    },
  );

  it('when a case is closed, then every event and every timer is refused', () => {
    const closed = at('closed');
    expect(closed.done).toBe(true);
    const everything: EventObject[] = [
      ...Object.values(sampleAgentEvent),
      ...referralEvents,
      ...allTimers.map((type) => ({ type })),
    ];
    for (const event of everything) expect(step('journey', closed, event)).toBeNull();
  });

  it('when an event type is unknown to the machine, then it is refused', () => {
    expect(step('journey', at('reception'), { type: 'TELEPORT' })).toBeNull();
  });
});

describe('journey machine: moving forward', () => {
  it('when the assessment starts at reception, then the case is in assessment and the deadlines move with it', () => {
    const next = accept('journey', at('reception'), { type: 'START_ASSESSMENT' });
    expect(next.statePath).toBe('active.assessment');
    expect(next.timersToArm).toEqual([{ timerId: timers.assessment, delayName: 'assessmentDue' }]);
    expect(next.timersToCancel).toEqual([timers.reception]);
    expect(next.effects).toEqual([]);
  });

  it('when the assessment is completed, then the case is in orientation with the orientation deadline armed', () => {
    const next = accept('journey', at('assessment'), { type: 'COMPLETE_ASSESSMENT' });
    expect(next.statePath).toBe('active.orientation');
    expect(next.timersToArm).toEqual([{ timerId: timers.orientation, delayName: 'orientationDue' }]);
    expect(next.timersToCancel).toEqual([timers.assessment]);
  });

  it('when a referral is sent in orientation, then the case is in follow-up and counts the referral as active', () => {
    const next = accept('journey', at('orientation'), sent(first));
    expect(next.statePath).toBe('active.followUp');
    expect(next.context.activeReferralIds).toEqual([first]);
    expect(next.timersToArm).toEqual([]);
    expect(next.timersToCancel).toEqual([timers.orientation]);
  });

  it('when a second referral is sent in follow-up, then the case stays in follow-up with both referrals active', () => {
    const next = accept('journey', at('followUp'), sent(second));
    expect(next.statePath).toBe('active.followUp');
    expect(next.context.activeReferralIds).toEqual([first, second]);
    expect(next.timersToArm).toEqual([]);
    expect(next.timersToCancel).toEqual([]);
  });

  it('when the same referral is reported sent twice, then it is counted once', () => {
    const next = accept('journey', at('followUp'), sent(first));
    expect(next.context.activeReferralIds).toEqual([first]);
  });
});

describe('journey machine: re-orientation', () => {
  it('when the last active referral fails in follow-up, then the case goes back to orientation with one more re-orientation', () => {
    const next = accept('journey', at('followUp'), failed(first));
    expect(next.statePath).toBe('active.orientation');
    expect(next.context).toMatchObject({ activeReferralIds: [], failedReferralIds: [first], reorientations: 1 });
    expect(next.timersToArm).toEqual([{ timerId: timers.orientation, delayName: 'orientationDue' }]);
  });

  it('when a referral fails while another is still active, then the case stays in follow-up', () => {
    const both = walk('journey', [...routeTo.followUp, sent(second)]);
    const next = accept('journey', both, failed(first));
    expect(next.statePath).toBe('active.followUp');
    expect(next.context).toMatchObject({ activeReferralIds: [second], failedReferralIds: [first], reorientations: 0 });
    const last = accept('journey', next, failed(second));
    expect(last.statePath).toBe('active.orientation');
    expect(last.context).toMatchObject({ activeReferralIds: [], failedReferralIds: [first, second], reorientations: 1 });
  });

  it('when the last active referral succeeds in follow-up, then the case stays in follow-up and counts it completed', () => {
    const next = accept('journey', at('followUp'), completed(first));
    expect(next.statePath).toBe('active.followUp');
    expect(next.context).toMatchObject({ activeReferralIds: [], completedReferralIds: [first], reorientations: 0 });
    expect(next.timersToArm).toEqual([]);
  });

  it('when an agent re-orients in follow-up, then the case is in orientation with one more re-orientation', () => {
    const next = accept('journey', at('followUp'), { type: 'REORIENT' });
    expect(next.statePath).toBe('active.orientation');
    expect(next.context).toMatchObject({ activeReferralIds: [first], reorientations: 1 });
    expect(next.timersToArm).toEqual([{ timerId: timers.orientation, delayName: 'orientationDue' }]);
  });

  it('when a case is re-oriented twice, then both re-orientations are counted', () => {
    const twice = walk('journey', [...routeTo.followUp, failed(first), sent(second), { type: 'REORIENT' }]);
    expect(twice.statePath).toBe('active.orientation');
    expect(twice.context.reorientations).toBe(2);
  });

  it('when a referral still active after re-orientation closes in orientation, then it is recorded and the case stays', () => {
    const reoriented = walk('journey', [...routeTo.followUp, { type: 'REORIENT' }]);
    const next = accept('journey', reoriented, failed(first));
    expect(next.statePath).toBe('active.orientation');
    expect(next.context).toMatchObject({ activeReferralIds: [], failedReferralIds: [first], reorientations: 1 });
    expect(next.timersToArm).toEqual([]);
    expect(next.timersToCancel).toEqual([]);
  });
});

describe('journey machine: case management (gestion de cas)', () => {
  it.each([
    ['assessment', timers.assessment],
    ['orientation', timers.orientation],
    ['followUp', null],
  ] as const)(
    'when a case at %s enters case management, then it is in case management and the stage deadline is cancelled',
    (stage, timer) => {
      const next = accept('journey', at(stage), { type: 'ENTER_CASE_MANAGEMENT' });
      expect(next.statePath).toBe('active.caseManagement');
      expect(next.timersToArm).toEqual([]);
      expect(next.timersToCancel).toEqual(timer ? [timer] : []);
    },
  );

  it('when case management ends, then the case is in follow-up', () => {
    const next = accept('journey', at('caseManagement'), { type: 'END_CASE_MANAGEMENT' });
    expect(next.statePath).toBe('active.followUp');
    expect(next.timersToArm).toEqual([]);
  });

  it('when referrals are sent and fail under case management, then they are recorded and the case stays in case management', () => {
    const withReferral = accept('journey', at('caseManagement'), sent(first));
    expect(withReferral.statePath).toBe('active.caseManagement');
    expect(withReferral.context.activeReferralIds).toEqual([first]);
    const afterFailure = accept('journey', withReferral, failed(first));
    expect(afterFailure.statePath).toBe('active.caseManagement');
    expect(afterFailure.context).toMatchObject({ activeReferralIds: [], failedReferralIds: [first], reorientations: 0 });
  });
});

describe('journey machine: closure', () => {
  it.each(activeStages)('when an agent closes a case at %s with a reason, then it is closed with that reason', (stage) => {
    const next = accept('journey', at(stage), { type: 'CLOSE', reason: 'handled_elsewhere' });
    expect(next.statePath).toBe('closed');
    expect(next.status).toBe('closed');
    expect(next.done).toBe(true);
    expect(next.context.closureReason).toBe('handled_elsewhere');
    expect(next.timersToArm).toEqual([]);
    const timer = stageTimer[stage];
    expect(next.timersToCancel).toEqual(timer ? [timer] : []);
  });

  it('when an agent closes a suspended case, then it is closed with that reason and the lost-contact timer is cancelled', () => {
    const next = accept('journey', at('suspended'), { type: 'CLOSE', reason: 'moved_out' });
    expect(next.statePath).toBe('closed');
    expect(next.context.closureReason).toBe('moved_out');
    expect(next.timersToCancel).toEqual([timers.suspended]);
  });

  it('when a close reason is not a closure code, then the schema refuses it', () => {
    expect(journeyAgentEventSchema.safeParse({ type: 'CLOSE', reason: 'bored' }).success).toBe(false);
    expect(journeyAgentEventSchema.safeParse({ type: 'CLOSE' }).success).toBe(false);
  });
});

describe('journey machine: suspension and resumption', () => {
  it.each(activeStages)('when a case at %s is suspended then resumed, then it is back at that same stage', (stage) => {
    const before = at(stage);
    const suspended = accept('journey', before, { type: 'SUSPEND', reason: 'lost_contact' });
    expect(suspended.statePath).toBe('suspended');
    expect(suspended.context).toMatchObject({ suspensionReason: 'lost_contact', resumeStage: stage });
    expect(suspended.timersToArm).toEqual([{ timerId: timers.suspended, delayName: 'lostContactClosure' }]);
    const timer = stageTimer[stage];
    expect(suspended.timersToCancel).toEqual(timer ? [timer] : []);

    const resumed = accept('journey', suspended, { type: 'RESUME' });
    expect(resumed.statePath).toBe(`active.${stage}`);
    expect(resumed.context).toEqual({ ...before.context, suspensionReason: null, resumeStage: null });
    expect(resumed.timersToCancel).toEqual([timers.suspended]);
    expect(resumed.timersToArm.map((armed) => armed.timerId)).toEqual(timer ? [timer] : []);
  });

  it('when a person asks for a pause, then the suspension records that reason', () => {
    const suspended = accept('journey', at('orientation'), { type: 'SUSPEND', reason: 'person_request' });
    expect(suspended.context).toMatchObject({ suspensionReason: 'person_request', resumeStage: 'orientation' });
  });

  it('when a suspended case hears of its referrals, then they are recorded and the case stays suspended', () => {
    const suspended = walk('journey', [...routeTo.followUp, { type: 'SUSPEND', reason: 'lost_contact' }]);
    const withSecond = accept('journey', suspended, sent(second));
    expect(withSecond.statePath).toBe('suspended');
    expect(withSecond.context.activeReferralIds).toEqual([first, second]);
    const afterClose = accept('journey', withSecond, completed(first));
    expect(afterClose.statePath).toBe('suspended');
    expect(afterClose.context).toMatchObject({ activeReferralIds: [second], completedReferralIds: [first] });
    expect(afterClose.timersToArm).toEqual([]);
    expect(afterClose.timersToCancel).toEqual([]);
  });

  it('when the lost-contact delay passes for a suspended case, then it is closed for lost contact', () => {
    const next = accept('journey', at('suspended'), { type: timers.suspended });
    expect(next.statePath).toBe('closed');
    expect(next.done).toBe(true);
    expect(next.context.closureReason).toBe('lost_contact');
    expect(next.timersToArm).toEqual([]);
  });
});

describe('journey machine: deadlines and timers', () => {
  it.each([
    ['reception', timers.reception],
    ['assessment', timers.assessment],
    ['orientation', timers.orientation],
  ] as const)(
    'when the %s deadline passes, then the people following the case are told and the case does not move',
    (stage, timer) => {
      const before = at(stage);
      const next = accept('journey', before, { type: timer });
      expect(next.statePath).toBe(before.statePath);
      expect(next.context).toEqual(before.context);
      expect(next.effects).toEqual([{ type: 'effect.notifyDeadlinePassed', params: { stage } }]);
      expect(next.timersToArm).toEqual([]);
      expect(next.timersToCancel).toEqual([]);
    },
  );

  it('when the reception deadline has passed once, then its event is not taken again as a new move', () => {
    const fired = accept('journey', at('reception'), { type: timers.reception });
    // The machine cannot tell a second delivery from the first: the engine's timer row (fired once) can.
    expect(accept('journey', fired, { type: timers.reception }).statePath).toBe('active.reception');
  });

  it.each([
    ['assessment', timers.reception],
    ['orientation', timers.assessment],
    ['followUp', timers.orientation],
    ['caseManagement', timers.assessment],
    ['reception', timers.suspended],
    ['suspended', timers.reception],
  ] as const)('when a case is at %s and the stale timer %s fires, then it is ignored (null)', (stage, timer) => {
    expect(step('journey', at(stage), { type: timer })).toBeNull();
  });

  it('when a case is resumed, then the lost-contact timer of its suspension is stale', () => {
    const resumed = walk('journey', [{ type: 'SUSPEND', reason: 'lost_contact' }, { type: 'RESUME' }]);
    expect(step('journey', resumed, { type: timers.suspended })).toBeNull();
  });

  it('when a timer id belongs to no state, then it is refused', () => {
    expect(step('journey', at('reception'), { type: 'xstate.after.receptionDue.journey.active.nowhere' })).toBeNull();
  });
});
