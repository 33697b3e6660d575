import { type Database, memberships } from '@parcours/db';
import type { ReferralMailMode } from '@parcours/vocabulary';
import { and, eq } from 'drizzle-orm';
import type { DeskCall } from '../../http/desk-call.ts';

/**
 * How the calling partner agent hears of the referrals sent to the organisation it acts for: one mail each,
 * or the half-day digest (the worker's `mail/referral-digest.ts`). The agent's own setting on its own
 * membership: no person data, nothing to audit.
 */
export async function getReferralMailPreference(db: Database, call: DeskCall): Promise<ReferralMailMode> {
  const [row] = await db
    .select({ mode: memberships.referralMail })
    .from(memberships)
    .where(and(eq(memberships.agentId, call.agent.agentId), eq(memberships.organisationId, call.agent.organisationId)));
  return (row?.mode ?? 'each') as ReferralMailMode;
}

export async function setReferralMailPreference(db: Database, mode: ReferralMailMode, call: DeskCall): Promise<ReferralMailMode> {
  await db
    .update(memberships)
    .set({ referralMail: mode })
    .where(and(eq(memberships.agentId, call.agent.agentId), eq(memberships.organisationId, call.agent.organisationId)));
  return mode;
}
