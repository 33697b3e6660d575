import { closureReasons, codesOf, referralOutcomes } from '@parcours/vocabulary';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { nominalDelays } from './delays.ts';

/**
 * The journey of one case through the guichet intégré:
 *   reception → assessment → orientation → follow-up → closed
 * with closure at reception, suspension (lost contact) and resumption where it stopped, re-orientation
 * when a referral fails, and an intensive case-management branch (gestion de cas, MAIA criteria).
 *
 * Released versions never change (see `__snapshots__`): a change of behaviour is a new version.
 */
export const journeyMachineVersion = 1;

const uuid = z.string().uuid();

/** Events an agent may send. */
export const journeyAgentEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('START_ASSESSMENT') }),
  z.object({ type: z.literal('COMPLETE_ASSESSMENT') }),
  z.object({ type: z.literal('ENTER_CASE_MANAGEMENT') }),
  z.object({ type: z.literal('END_CASE_MANAGEMENT') }),
  z.object({ type: z.literal('REORIENT') }),
  z.object({ type: z.literal('SUSPEND'), reason: z.enum(['lost_contact', 'person_request']) }),
  z.object({ type: z.literal('RESUME') }),
  z.object({ type: z.literal('CLOSE'), reason: z.enum(codesOf(closureReasons)) }),
]);
export type JourneyAgentEvent = z.infer<typeof journeyAgentEventSchema>;

/** Events only the engine sends, when a referral of the case moves. */
export const journeySystemEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('REFERRAL_SENT'), referralId: uuid }),
  z.object({
    type: z.literal('REFERRAL_CLOSED'),
    referralId: uuid,
    status: z.string(),
    successful: z.boolean(),
    outcome: z.enum(codesOf(referralOutcomes)).optional(),
  }),
]);
export type JourneySystemEvent = z.infer<typeof journeySystemEventSchema>;

export type JourneyEvent = JourneyAgentEvent | JourneySystemEvent;

const resumableStages = ['reception', 'assessment', 'orientation', 'followUp', 'caseManagement'] as const;
type ResumableStage = (typeof resumableStages)[number];

export interface JourneyContext {
  activeReferralIds: string[];
  completedReferralIds: string[];
  failedReferralIds: string[];
  reorientations: number;
  suspensionReason: 'lost_contact' | 'person_request' | null;
  /** The stage a suspended case resumes at. Kept in context, not in a history state, so it persists as JSON. */
  resumeStage: ResumableStage | null;
  closureReason: string | null;
}

/** Suspension remembers the stage it left, so that RESUME returns there. */
const suspendFrom = (stage: ResumableStage) =>
  ({
    target: '#journey.suspended',
    actions: { type: 'recordSuspension', params: { stage } },
  }) as const;

export const journeyMachine = setup({
  types: {
    context: {} as JourneyContext,
    events: {} as JourneyEvent,
  },
  delays: {
    receptionDue: nominalDelays.receptionDue,
    assessmentDue: nominalDelays.assessmentDue,
    orientationDue: nominalDelays.orientationDue,
    lostContactClosure: nominalDelays.lostContactClosure,
  },
  guards: {
    resumesAt: ({ context }, params: { stage: ResumableStage }) => (context.resumeStage ?? 'reception') === params.stage,
    lastActiveReferralFailed: ({ context, event }) =>
      event.type === 'REFERRAL_CLOSED' &&
      !event.successful &&
      context.activeReferralIds.filter((id) => id !== event.referralId).length === 0,
  },
  actions: {
    /** Effect: tell the people following the case that a stage's deadline has passed. */
    'effect.notifyDeadlinePassed': (_, _params: { stage: string }) => {},
    recordReferralSent: assign({
      activeReferralIds: ({ context, event }) =>
        event.type === 'REFERRAL_SENT' && !context.activeReferralIds.includes(event.referralId)
          ? [...context.activeReferralIds, event.referralId]
          : context.activeReferralIds,
    }),
    recordReferralClosed: assign(({ context, event }) => {
      if (event.type !== 'REFERRAL_CLOSED') return {};
      return {
        activeReferralIds: context.activeReferralIds.filter((id) => id !== event.referralId),
        completedReferralIds: event.successful
          ? [...context.completedReferralIds, event.referralId]
          : context.completedReferralIds,
        failedReferralIds: event.successful ? context.failedReferralIds : [...context.failedReferralIds, event.referralId],
      };
    }),
    countReorientation: assign({ reorientations: ({ context }) => context.reorientations + 1 }),
    recordSuspension: assign(({ event }, params: { stage: ResumableStage }) => ({
      suspensionReason: event.type === 'SUSPEND' ? event.reason : null,
      resumeStage: params.stage,
    })),
    clearSuspension: assign({ suspensionReason: null, resumeStage: null }),
    recordClosure: assign({
      closureReason: ({ event }) => (event.type === 'CLOSE' ? event.reason : 'lost_contact'),
    }),
  },
}).createMachine({
  id: 'journey',
  version: String(journeyMachineVersion),
  context: {
    activeReferralIds: [],
    completedReferralIds: [],
    failedReferralIds: [],
    reorientations: 0,
    suspensionReason: null,
    resumeStage: null,
    closureReason: null,
  },
  initial: 'active',
  states: {
    active: {
      initial: 'reception',
      on: {
        CLOSE: { target: 'closed', actions: 'recordClosure' },
      },
      states: {
        reception: {
          after: { receptionDue: { actions: { type: 'effect.notifyDeadlinePassed', params: { stage: 'reception' } } } },
          on: { START_ASSESSMENT: 'assessment', SUSPEND: suspendFrom('reception') },
        },
        assessment: {
          after: { assessmentDue: { actions: { type: 'effect.notifyDeadlinePassed', params: { stage: 'assessment' } } } },
          on: {
            COMPLETE_ASSESSMENT: 'orientation',
            SUSPEND: suspendFrom('assessment'),
            ENTER_CASE_MANAGEMENT: 'caseManagement',
          },
        },
        orientation: {
          after: { orientationDue: { actions: { type: 'effect.notifyDeadlinePassed', params: { stage: 'orientation' } } } },
          on: {
            REFERRAL_SENT: { target: 'followUp', actions: 'recordReferralSent' },
            SUSPEND: suspendFrom('orientation'),
            REFERRAL_CLOSED: { actions: 'recordReferralClosed' },
            ENTER_CASE_MANAGEMENT: 'caseManagement',
          },
        },
        followUp: {
          on: {
            REFERRAL_SENT: { actions: 'recordReferralSent' },
            REFERRAL_CLOSED: [
              // Re-orientation: the last referral in flight failed, so the person has nowhere to go.
              {
                guard: 'lastActiveReferralFailed',
                target: 'orientation',
                actions: ['recordReferralClosed', 'countReorientation'],
              },
              { actions: 'recordReferralClosed' },
            ],
            REORIENT: { target: 'orientation', actions: 'countReorientation' },
            SUSPEND: suspendFrom('followUp'),
            ENTER_CASE_MANAGEMENT: 'caseManagement',
          },
        },
        /** Intensive case management (gestion de cas): a case manager coordinates over time. */
        caseManagement: {
          on: {
            REFERRAL_SENT: { actions: 'recordReferralSent' },
            REFERRAL_CLOSED: { actions: 'recordReferralClosed' },
            END_CASE_MANAGEMENT: 'followUp',
            SUSPEND: suspendFrom('caseManagement'),
          },
        },
      },
    },
    suspended: {
      after: { lostContactClosure: { target: 'closed', actions: 'recordClosure' } },
      on: {
        RESUME: resumableStages.map((stage) => ({
          guard: { type: 'resumesAt', params: { stage } },
          target: `active.${stage}`,
          actions: 'clearSuspension',
        })),
        REFERRAL_SENT: { actions: 'recordReferralSent' },
        REFERRAL_CLOSED: { actions: 'recordReferralClosed' },
        CLOSE: { target: 'closed', actions: 'recordClosure' },
      },
    },
    closed: { type: 'final' },
  },
});

export type JourneyMachine = typeof journeyMachine;

/** Journey stages, in the order of the process; used for filters and per-stage delays. */
export const journeyStages = [
  'reception',
  'assessment',
  'orientation',
  'followUp',
  'caseManagement',
  'suspended',
  'closed',
] as const;
export type JourneyStage = (typeof journeyStages)[number];
