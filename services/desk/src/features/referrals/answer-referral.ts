import type { Database } from '@parcours/db';
import type { DeskCall } from '../../http/desk-call.ts';
import { actorOf, holdsHealthPermission } from '../../policy/access-policy.ts';
import { applyPartnerAnswer } from './partner-answer.ts';
import type { AnswerReferralBody } from './referral.schemas.ts';

/** A partner agent's answer, for the acting organisation. */
export function answerReferral(db: Database, referralId: string, body: AnswerReferralBody, call: DeskCall) {
  return applyPartnerAnswer(db, referralId, body, {
    actor: actorOf(call.agent),
    reader: { organisationId: call.agent.organisationId, mayReadHealth: holdsHealthPermission(call.agent) },
    clock: call.clock,
    requestId: call.requestId,
  });
}
