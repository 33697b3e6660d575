import { appointmentModes, referralStatuses } from '@parcours/journey';
import {
  codesOf,
  dataCategories,
  declineReasons,
  referralMailModes,
  referralOutcomes,
  referralPurposes,
} from '@parcours/vocabulary';
import { z } from 'zod';
import { inputInstant } from '../../http/input-dates.ts';

export const referralIdParams = z.strictObject({ referralId: z.uuid() });

export const sendReferralBody = z.strictObject({
  expectedRevision: z.number().int().min(0),
  /** Optional: the categories the referral shares, settled at sending (else the draft's); the consent must cover each. */
  sharedCategories: z.array(z.enum(dataCategories)).min(1).max(dataCategories.length).optional(),
});
export type SendReferralBody = z.infer<typeof sendReferralBody>;

export const cancelReferralBody = z.strictObject({ expectedRevision: z.number().int().min(0) });

export const appointmentAnswer = z
  .strictObject({
    type: z.literal('SET_APPOINTMENT'),
    at: inputInstant(),
    mode: z.enum(appointmentModes),
    /** Where the person joins a visio appointment: a reception point (organisation) of the territory. */
    receptionPointId: z.uuid().optional(),
  })
  .refine((answer) => answer.mode !== 'visio' || answer.receptionPointId !== undefined, {
    message: 'Un rendez-vous en visio se tient dans un point d’accueil : choisissez lequel.',
    path: ['receptionPointId'],
  });
export const acceptAnswer = z.strictObject({
  type: z.literal('ACCEPT'),
  conditions: z.string().trim().min(1).max(2000).optional(),
});
export const declineAnswer = z.strictObject({ type: z.literal('DECLINE'), reason: z.enum(codesOf(declineReasons)) });

/** The partner's answers: every referral event but the sender's (SEND, CANCEL). */
export const partnerAnswer = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('MARK_SEEN') }),
  z.strictObject({ type: z.literal('START_STUDY') }),
  acceptAnswer,
  declineAnswer,
  z.strictObject({ type: z.literal('REDIRECT'), suggestedOrganisationId: z.uuid().optional() }),
  appointmentAnswer,
  z.strictObject({ type: z.literal('START_SUPPORT') }),
  z.strictObject({ type: z.literal('REPORT_NO_SHOW') }),
  z.strictObject({ type: z.literal('COMPLETE'), outcome: z.enum(codesOf(referralOutcomes)) }),
  z.strictObject({ type: z.literal('ABANDON') }),
]);
export type PartnerAnswer = z.infer<typeof partnerAnswer>;

export const answerReferralBody = z.strictObject({
  expectedRevision: z.number().int().min(0),
  answer: partnerAnswer,
});
export type AnswerReferralBody = z.infer<typeof answerReferralBody>;

export const handOverReferentBody = z.strictObject({
  expectedRevision: z.number().int().min(0),
  referentOrganisationId: z.uuid(),
  referentAgentId: z.uuid().nullable().default(null),
  /** For the new référent: kept apart from the case's event log (which holds codes and ids only). */
  note: z.string().trim().min(1).max(4000),
});
export type HandOverReferentBody = z.infer<typeof handOverReferentBody>;

export const referralAnswerDetails = z.object({
  conditions: z.string().nullable(),
  declineReason: z.string().nullable(),
  suggestedOrganisationId: z.uuid().nullable(),
  appointment: z.object({ at: z.string(), mode: z.enum(appointmentModes), receptionPointId: z.uuid().optional() }).nullable(),
  outcome: z.string().nullable(),
});

export const referralView = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  fromOrganisationId: z.uuid(),
  toOrganisationId: z.uuid(),
  toServiceId: z.string().nullable(),
  purpose: z.enum(referralPurposes),
  sharedCategories: z.array(z.enum(dataCategories)),
  status: z.enum(referralStatuses),
  revision: z.number().int(),
  /** What the caller may send next (the sender's or the partner's events). */
  allowedEvents: z.array(z.string()),
  redirectedFromId: z.uuid().nullable(),
  sentAt: z.iso.datetime().nullable(),
  /** The next deadline (reminder, escalation, expiry) while the partner has not answered. */
  dueAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  answer: referralAnswerDetails,
});
export type ReferralView = z.infer<typeof referralView>;

export const caseReferralList = z.object({ items: z.array(referralView) });

export const sendReferralResult = referralView.extend({ consentId: z.uuid() });

export const answerReferralResult = referralView.extend({
  /** The draft proposed to the sender when the partner redirected to another organisation. */
  proposedDraft: referralView.nullable(),
});

/** `each`: one mail per referral sent to my organisation; `digest`: one mail at 08:00 and 13:00 listing them. */
export const referralMailPreference = z.strictObject({ mode: z.enum(referralMailModes) });

export const partnerInboxQuery = z.strictObject({
  scope: z.enum(['open', 'closed', 'all']).default('open'),
  status: z.enum(referralStatuses).optional(),
  purpose: z.enum(referralPurposes).optional(),
  /** Only the referrals whose next deadline has passed. */
  overdue: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type PartnerInboxQuery = z.infer<typeof partnerInboxQuery>;

export const partnerInboxItem = referralView.extend({
  /** Whether the person's consent lets the organisation open it now. */
  accessible: z.boolean(),
});
export const partnerInbox = z.object({
  items: z.array(partnerInboxItem),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});

const need = z.object({ domain: z.string(), level: z.string(), urgency: z.string().nullable() });
/** The case as a partner sees it: one key per data category the consent covers, and no other. */
export const partnerCaseData = z.object({
  identity: z
    .object({
      familyName: z.string().nullable(),
      givenNames: z.string().nullable(),
      birthName: z.string().nullable(),
      birthDate: z.string().nullable(),
    })
    .optional(),
  contact: z
    .object({ phone: z.string().nullable(), email: z.string().nullable(), communeInsee: z.string().nullable() })
    .optional(),
  situation_summary: z
    .object({ expressedRequest: z.string(), stage: z.string(), channel: z.string(), openedAt: z.iso.datetime() })
    .optional(),
  assessment: z
    .object({ completedAt: z.iso.datetime().nullable(), needs: z.array(need) })
    .nullable()
    .optional(),
  health: z
    .object({ needs: z.array(need) })
    .nullable()
    .optional(),
  free_notes: z.object({ notes: z.array(z.object({ domain: z.string(), note: z.string() })) }).optional(),
});
export type PartnerCaseData = z.infer<typeof partnerCaseData>;

export const partnerReferral = z.object({
  referral: referralView,
  /** The categories shown: the referral's, cut down to what the consent covers (health with the permission). */
  visibleCategories: z.array(z.enum(dataCategories)),
  consentId: z.uuid(),
  data: partnerCaseData,
});
export type PartnerReferral = z.infer<typeof partnerReferral>;
