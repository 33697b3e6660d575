import { checkSharing } from '@parcours/consent';
import { type Database, referrals, withActor } from '@parcours/db';
import { EngineError, sendReferralEvent } from '@parcours/engine';
import type { DataCategory, ReferralPurpose } from '@parcours/vocabulary';
import { eq } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { referralNotFound } from '../../http/not-found.ts';
import { actorOf, canSendFor } from '../../policy/access-policy.ts';
import { recordActorAudit } from '../audit/audit-writer.ts';
import { consentFactsOf, primaryPersonOf } from '../consents/consent.repository.ts';
import type { SendReferralBody } from './referral.schemas.ts';
import { auditRefusal } from './referral-refusal.ts';
import { referralViewWithTimes } from './referral-view.ts';

/**
 * Sends a draft referral through the engine. In the engine's transaction, on the locked rows: the sender
 * reaches the case, and ONE active consent of the person covers the recipient, the purpose and every
 * category the referral carries (after an optional reduction) — otherwise 422 with what is not covered.
 * The disclosure is audited with that consent's id.
 */
export async function sendReferral(db: Database, referralId: string, body: SendReferralBody, call: DeskCall) {
  const actor = actorOf(call.agent);
  let consentId = '';
  try {
    await sendReferralEvent(
      db,
      { referralId, event: { type: 'SEND' }, expectedRevision: body.expectedRevision, sharedCategories: body.sharedCategories },
      {
        actor,
        clock: call.clock,
        requestId: call.requestId,
        authorizeCase: (row) => canSendFor(call.agent, row),
        inTransaction: async (tx, locked) => {
          const referral = locked.referral;
          if (!referral) throw new EngineError('referral_not_found', 'Orientation introuvable.');
          const personId = await primaryPersonOf(tx, referral.caseId);
          const coverage = checkSharing(
            personId ? await consentFactsOf(tx, personId) : [],
            {
              recipientOrganisationId: referral.toOrganisationId,
              purpose: referral.purpose as ReferralPurpose,
              categories: referral.sharedCategories as DataCategory[],
            },
            call.clock.now(),
          );
          if (!coverage.covered) {
            throw new AppError(
              'consent_not_covering',
              coverage.opposition
                ? 'La personne s’est opposée au partage de ses informations : l’orientation ne peut pas être envoyée.'
                : 'Le consentement de la personne ne couvre pas tout ce que cette orientation partage. Réduisez les informations partagées ou recueillez son consentement.',
              { notCovered: { ...coverage.notCovered, opposition: coverage.opposition } },
            );
          }
          consentId = coverage.consentId;
          await recordActorAudit(
            tx,
            actor,
            {
              action: 'referral.send',
              subjectKind: 'referral',
              subjectIds: [referral.id, referral.caseId, ...(personId ? [personId] : [])],
              purpose: referral.purpose,
              consentId,
              outcome: 'allowed',
            },
            auditCallOf(call),
          );
        },
      },
    );
  } catch (error) {
    if (error instanceof EngineError && error.code === 'referral_not_found')
      await auditRefusal(db, call, 'referral.send', [referralId]);
    throw error;
  }
  // Read back as the sender: outside an actor transaction row-level security shows nothing.
  const view = await withActor(db, actor, async (tx) => {
    const [row] = await tx.select().from(referrals).where(eq(referrals.id, referralId));
    return row ? referralViewWithTimes(tx, row, 'sender') : null;
  });
  if (!view) throw referralNotFound();
  return { ...view, consentId };
}
