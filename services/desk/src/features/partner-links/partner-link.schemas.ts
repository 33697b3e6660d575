import { z } from 'zod';
import { acceptAnswer, appointmentAnswer, declineAnswer } from '../referrals/referral.schemas.ts';

export const partnerLinkToken = z.string().min(20).max(200);

export const issuedPartnerLink = z.object({
  linkId: z.uuid(),
  referralId: z.uuid(),
  expiresAt: z.iso.datetime(),
  /** Shown once: only its hash is kept. Hand it to the partner by a channel of your choice. */
  token: z.string(),
  /** The page to open; the token rides in the fragment, which browsers never send to the server. */
  url: z.string(),
});

export const partnerLinkReadBody = z.strictObject({ token: partnerLinkToken });

/** Without an account, a partner accepts, declines or sets an appointment: nothing else. */
export const partnerLinkAnswer = z.discriminatedUnion('type', [acceptAnswer, declineAnswer, appointmentAnswer]);

export const partnerLinkAnswerBody = z.strictObject({
  token: partnerLinkToken,
  expectedRevision: z.number().int().min(0),
  answer: partnerLinkAnswer,
});
export type PartnerLinkAnswerBody = z.infer<typeof partnerLinkAnswerBody>;
