import { type Actor, type Database, referrals, withActor } from '@parcours/db';
import { and, count, eq, inArray } from 'drizzle-orm';

/** A referral waits for its recipient until it is accepted, declined or redirected. */
export const waitingReferralStatuses = ['sent', 'seen', 'underStudy'] as const;

/**
 * How many referrals addressed to the organisation wait for its answer: the navigation shows it beside
 * « Orientations reçues ». A count, no person data (not audited); under row-level security like any read.
 */
export async function countWaitingReferrals(db: Database, actor: Actor & { organisationId: string }): Promise<number> {
  return withActor(db, actor, async (tx) => {
    const [row] = await tx
      .select({ n: count() })
      .from(referrals)
      .where(and(eq(referrals.toOrganisationId, actor.organisationId), inArray(referrals.status, [...waitingReferralStatuses])));
    return row?.n ?? 0;
  });
}
