import { type Database, partnerLinks, referrals, withActor } from '@parcours/db';
import { EngineError, sendReferralEvent } from '@parcours/engine';
import { and, eq, isNull } from 'drizzle-orm';
import type { DeskCall } from '../../http/desk-call.ts';
import { referralNotFound } from '../../http/not-found.ts';
import { actorOf, canSendFor } from '../../policy/access-policy.ts';
import { auditRefusal } from './referral-refusal.ts';
import { referralViewWithTimes } from './referral-view.ts';

/**
 * The sender cancels a referral (draft or in flight). Its partner links are revoked in the same
 * transaction; the partner's access ends with the referral (the policy only opens active referrals).
 */
export async function cancelReferral(db: Database, referralId: string, expectedRevision: number, call: DeskCall) {
  const now = call.clock.now();
  try {
    await sendReferralEvent(
      db,
      { referralId, event: { type: 'CANCEL' }, expectedRevision },
      {
        actor: actorOf(call.agent),
        clock: call.clock,
        requestId: call.requestId,
        authorizeCase: (row) => canSendFor(call.agent, row),
        inTransaction: async (tx) => {
          await tx
            .update(partnerLinks)
            .set({ revokedAt: now })
            .where(and(eq(partnerLinks.referralId, referralId), isNull(partnerLinks.revokedAt)));
        },
      },
    );
  } catch (error) {
    if (error instanceof EngineError && error.code === 'referral_not_found')
      await auditRefusal(db, call, 'referral.cancel', [referralId]);
    throw error;
  }
  // Read back as the sender: outside an actor transaction row-level security shows nothing.
  const view = await withActor(db, actorOf(call.agent), async (tx) => {
    const [row] = await tx.select().from(referrals).where(eq(referrals.id, referralId));
    return row ? referralViewWithTimes(tx, row, 'sender') : null;
  });
  if (!view) throw referralNotFound();
  return view;
}
