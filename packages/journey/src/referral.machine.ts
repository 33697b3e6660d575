import { codesOf, declineReasons, referralOutcomes } from '@parcours/vocabulary';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { nominalDelays } from './delays.ts';

/**
 * The closed loop of one referral to a partner (cf. FHIR Task, the inclusion services):
 *   draft → sent → seen → under study → accepted (maybe under conditions) → appointment set →
 *   in progress → completed, or declined / redirected / no-show / abandoned / expired / cancelled.
 * Awaiting an answer, the partner gets a reminder, then the sender's supervisor is told, then it expires.
 */
export const referralMachineVersion = 1;

export const appointmentModes = ['in_person', 'phone', 'visio'] as const;

export const referralEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('SEND') }),
  z.object({ type: z.literal('MARK_SEEN') }),
  z.object({ type: z.literal('START_STUDY') }),
  z.object({ type: z.literal('ACCEPT'), conditions: z.string().trim().min(1).max(2000).optional() }),
  z.object({ type: z.literal('DECLINE'), reason: z.enum(codesOf(declineReasons)) }),
  z.object({ type: z.literal('REDIRECT'), suggestedOrganisationId: z.string().uuid().optional() }),
  z
    .object({
      type: z.literal('SET_APPOINTMENT'),
      at: z.string().datetime({ offset: true }),
      mode: z.enum(appointmentModes),
      /** The reception point (an organisation) where the person joins a visio appointment. */
      receptionPointId: z.string().uuid().optional(),
    })
    .refine((event) => event.mode !== 'visio' || event.receptionPointId !== undefined, {
      message: 'A visio appointment takes place at a reception point',
      path: ['receptionPointId'],
    }),
  z.object({ type: z.literal('START_SUPPORT') }),
  z.object({ type: z.literal('REPORT_NO_SHOW') }),
  z.object({ type: z.literal('COMPLETE'), outcome: z.enum(codesOf(referralOutcomes)) }),
  z.object({ type: z.literal('ABANDON') }),
  z.object({ type: z.literal('CANCEL') }),
]);
export type ReferralEvent = z.infer<typeof referralEventSchema>;

export interface ReferralContext {
  conditions: string | null;
  declineReason: string | null;
  suggestedOrganisationId: string | null;
  appointment: { at: string; mode: (typeof appointmentModes)[number]; receptionPointId?: string } | null;
  outcome: string | null;
}

export const referralMachine = setup({
  types: {
    context: {} as ReferralContext,
    events: {} as ReferralEvent,
  },
  delays: {
    referralReminder: nominalDelays.referralReminder,
    referralEscalation: nominalDelays.referralEscalation,
    referralExpiry: nominalDelays.referralExpiry,
  },
  actions: {
    /** Effect: remind the partner that a referral awaits its answer. */
    'effect.remindPartner': () => {},
    /** Effect: tell the sender's supervisor that the partner has not answered. */
    'effect.escalateToSenderSupervisor': () => {},
    recordAcceptance: assign({ conditions: ({ event }) => (event.type === 'ACCEPT' ? (event.conditions ?? null) : null) }),
    recordDecline: assign({ declineReason: ({ event }) => (event.type === 'DECLINE' ? event.reason : null) }),
    recordRedirect: assign({
      suggestedOrganisationId: ({ event }) => (event.type === 'REDIRECT' ? (event.suggestedOrganisationId ?? null) : null),
    }),
    recordAppointment: assign({
      appointment: ({ event, context }) =>
        // The reception point was added to the event after version 1 was released: optional, kept only
        // when given, so every event version 1 ever accepted still gives the same context.
        event.type === 'SET_APPOINTMENT'
          ? { at: event.at, mode: event.mode, ...(event.receptionPointId ? { receptionPointId: event.receptionPointId } : {}) }
          : context.appointment,
    }),
    recordOutcome: assign({ outcome: ({ event }) => (event.type === 'COMPLETE' ? event.outcome : null) }),
  },
}).createMachine({
  id: 'referral',
  version: String(referralMachineVersion),
  context: { conditions: null, declineReason: null, suggestedOrganisationId: null, appointment: null, outcome: null },
  initial: 'draft',
  states: {
    draft: {
      on: { SEND: 'awaitingAnswer', CANCEL: 'cancelled' },
    },
    /** The partner has not answered yet; the deadlines run across sent → seen → under study. */
    awaitingAnswer: {
      initial: 'sent',
      after: {
        referralReminder: { actions: 'effect.remindPartner' },
        referralEscalation: { actions: 'effect.escalateToSenderSupervisor' },
        referralExpiry: 'expired',
      },
      on: {
        ACCEPT: { target: 'accepted', actions: 'recordAcceptance' },
        DECLINE: { target: 'declined', actions: 'recordDecline' },
        REDIRECT: { target: 'redirected', actions: 'recordRedirect' },
        CANCEL: 'cancelled',
      },
      states: {
        sent: { on: { MARK_SEEN: 'seen', START_STUDY: 'underStudy' } },
        seen: { on: { START_STUDY: 'underStudy' } },
        underStudy: {},
      },
    },
    accepted: {
      on: {
        SET_APPOINTMENT: { target: 'appointmentSet', actions: 'recordAppointment' },
        START_SUPPORT: 'inProgress',
        ABANDON: 'abandoned',
        CANCEL: 'cancelled',
      },
    },
    appointmentSet: {
      on: {
        SET_APPOINTMENT: { target: 'appointmentSet', actions: 'recordAppointment', reenter: false },
        START_SUPPORT: 'inProgress',
        REPORT_NO_SHOW: 'noShow',
        ABANDON: 'abandoned',
        CANCEL: 'cancelled',
      },
    },
    inProgress: {
      on: {
        COMPLETE: { target: 'completed', actions: 'recordOutcome' },
        ABANDON: 'abandoned',
      },
    },
    completed: { type: 'final' },
    declined: { type: 'final' },
    redirected: { type: 'final' },
    noShow: { type: 'final' },
    abandoned: { type: 'final' },
    expired: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

export type ReferralMachine = typeof referralMachine;

export const referralStatuses = [
  'draft',
  'sent',
  'seen',
  'underStudy',
  'accepted',
  'appointmentSet',
  'inProgress',
  'completed',
  'declined',
  'redirected',
  'noShow',
  'abandoned',
  'expired',
  'cancelled',
] as const;
export type ReferralStatus = (typeof referralStatuses)[number];

export const finalReferralStatuses: readonly ReferralStatus[] = [
  'completed',
  'declined',
  'redirected',
  'noShow',
  'abandoned',
  'expired',
  'cancelled',
];
